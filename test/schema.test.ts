import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
} from 'graphql';
import { buildSchema } from '../src/schema.js';

describe('the schema', () => {
  const schema = buildSchema();

  it('describes every type, field, argument, input field and enum value (they are the playground docs)', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      if (isScalarType(type) && ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name))
        continue;
      if (!type.description && !['Query', 'Mutation', 'Subscription'].includes(type.name))
        missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of field.args)
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
      if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields()))
          if (!field.description) missing.push(`${type.name}.${field.name}`);
      }
      if (isEnumType(type)) {
        for (const value of type.getValues())
          if (!value.description) missing.push(`${type.name}.${value.name}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('uses AWS enum values and 64-bit counters', () => {
    const status = schema.getType('FlowOperationStatus');
    assert.ok(isEnumType(status));
    assert.deepEqual(
      status
        .getValues()
        .map((v) => v.name)
        .sort(),
      ['COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'IN_PROGRESS'],
    );
    const flow = schema.getType('Flow');
    assert.ok(isObjectType(flow));
    for (const name of ['age', 'packetCount', 'byteCount'])
      assert.equal(String(flow.getFields()[name]?.type), 'Long');
  });

  it("keeps the SDL's scalar descriptions and @specifiedBy, which the resolvers do not carry", () => {
    const long = schema.getType('Long');
    const dateTime = schema.getType('DateTime');
    assert.ok(isScalarType(long) && isScalarType(dateTime));
    assert.match(long.description ?? '', /exact up to 2\^53 - 1/);
    assert.match(long.description ?? '', /beyond, a JSON string of its decimal digits/);
    assert.equal(
      dateTime.specifiedByURL,
      'https://datatracker.ietf.org/doc/html/rfc3339#section-5.6',
    );
    assert.match(dateTime.description ?? '', /RFC 3339 string in UTC with millisecond precision/);
    assert.equal(long.serialize('9007199254740993'), '9007199254740993', 'behaviour kept');
  });
});
