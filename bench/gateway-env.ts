/** The environment of a benchmarked gateway: as deployed against AWS, pointed at the simulator. */
export const REGION = 'us-east-1';

export function gatewayEnv(
  simulatorUrl: string,
  env: Record<string, string>,
): Record<string, string> {
  return {
    HOST: '127.0.0.1',
    PORT: '0',
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    NFW_BACKEND: 'aws',
    AUTH_MODE: 'none',
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL_NETWORK_FIREWALL: simulatorUrl,
    PLAYGROUND: 'false',
    ...env,
  };
}
