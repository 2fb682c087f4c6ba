// Imported first by the benchmarks: graphql-js reads NODE_ENV when it is loaded, and outside
// production its instanceOf checks cost about 7% of a cached read's CPU (issue 16's profile).
// A deployment runs with NODE_ENV=production, so the measured servers (all of them) do too.
process.env.NODE_ENV ??= 'production';
