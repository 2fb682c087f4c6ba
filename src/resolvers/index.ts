import type { Resolvers } from '../generated/graphql.js';
import { Firewall } from './Firewall.js';
import { Address, Flow } from './Flow.js';
import { FlowFilter } from './FlowFilter.js';
import { FlowOperation } from './FlowOperation.js';
import { Mutation } from './Mutation.js';
import { Node, NodeQuery } from './Node.js';
import { Query } from './Query.js';
import { Long } from './long.js';
import { DateTime } from './scalars.js';
import { Subscription } from './Subscription.js';

export const resolvers: Resolvers = {
  Query: { ...Query, ...NodeQuery },
  Mutation,
  Subscription,
  FlowOperation,
  FlowFilter,
  Flow,
  Address,
  Firewall,
  Node,
  DateTime,
  Long,
};
