import { loadConfig } from '../../src/config';
import { configErrorOf as errorOf } from '../support/configErrors';

const TENANT = '00000000-0000-0000-0000-0000000000001';
const production = { NODE_ENV: 'production', BOT_ID: 'b0b0b0b0-0000-0000-0000-000000000000', BOT_PASSWORD: 'not-a-real-secret', ALLOWED_TENANT_IDS: TENANT, DATABASE_URL: 'postgresql://db.example/weerbaar' };

describe('configuration', () => {
  it('runs locally without any variable: embedded database, no authentication, loopback only', () => {
    const config = loadConfig({});
    expect(config.bot).toBeUndefined();
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(3978);
    expect(config.database.kind).toBe('pglite');
  });

  it('refuses production without BOT_ID, naming the variable', () => {
    const { BOT_ID: _id, ...env } = production;
    void _id;
    const err = errorOf(env);
    expect(err.variable).toBe('BOT_ID');
    expect(err.message).toMatch(/BOT_ID: is required in production/);
  });

  it('refuses production without the bot secret', () => {
    const { BOT_PASSWORD: _pw, ...env } = production;
    void _pw;
    expect(errorOf(env).variable).toBe('BOT_PASSWORD');
  });

  it('refuses production without a tenant allow-list', () => {
    expect(errorOf({ ...production, ALLOWED_TENANT_IDS: '' }).variable).toBe('ALLOWED_TENANT_IDS');
  });

  it('refuses production on the embedded database unless explicitly overridden', () => {
    const { DATABASE_URL: _url, ...env } = production;
    void _url;
    expect(errorOf(env).variable).toBe('DATABASE_URL');
    const overridden = loadConfig({ ...env, ALLOW_EMBEDDED_DB_IN_PRODUCTION: 'true' });
    expect(overridden.database.kind).toBe('pglite');
    expect(overridden.embeddedDatabaseOverride).toBe(true);
  });

  it('accepts a complete production configuration and listens on all interfaces', () => {
    const config = loadConfig(production);
    expect(config.bot?.appId).toBe(production.BOT_ID);
    expect(config.host).toBe('0.0.0.0');
    expect(config.allowedTenantIds).toEqual([TENANT]);
  });

  it('names the bad variable for malformed values', () => {
    expect(errorOf({ PORT: 'eighty' }).variable).toBe('PORT');
    expect(errorOf({ DATABASE_URL: 'mysql://x' }).variable).toBe('DATABASE_URL');
    expect(errorOf({ ALLOWED_TENANT_IDS: 'contoso' }).variable).toBe('ALLOWED_TENANT_IDS');
    expect(errorOf({ LOG_LEVEL: 'loud' }).variable).toBe('LOG_LEVEL');
    expect(errorOf({ DEMO_DATA: 'perhaps' }).variable).toBe('DEMO_DATA');
  });

  it('refuses a non-loopback HOST while authentication is off', () => {
    expect(errorOf({ HOST: '0.0.0.0' }).variable).toBe('HOST');
  });

  it('takes the Bot Connector\'s key location over https, or plain http on loopback only, and only with authentication on', () => {
    expect(loadConfig({ ...production, BOT_OPENID_METADATA_URL: 'https://login.botframework.azure.us/v1/.well-known/openidconfiguration' }).bot?.openIdMetadataUrl)
      .toBe('https://login.botframework.azure.us/v1/.well-known/openidconfiguration');
    expect(loadConfig({ ...production, BOT_OPENID_METADATA_URL: 'http://127.0.0.1:4000/v1/.well-known/openidconfiguration' }).bot?.openIdMetadataUrl).toMatch(/^http:\/\/127/);
    expect(errorOf({ ...production, BOT_OPENID_METADATA_URL: 'http://keys.example/openid' }).variable).toBe('BOT_OPENID_METADATA_URL');
    expect(errorOf({ BOT_OPENID_METADATA_URL: 'https://keys.example/openid' }).message).toMatch(/without BOT_ID/);
  });
});
