import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** Token store and pending connects (portable Table API: SQLite and PostgreSQL). */
export class TokenStore1767225600000 implements MigrationInterface {
  name = 'TokenStore1767225600000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'auth_user_tokens',
        columns: [
          { name: 'user_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'user_principal_name', type: 'varchar', length: '320' },
          { name: 'upn_lower', type: 'varchar', length: '320' },
          { name: 'home_account_id', type: 'varchar', length: '160', isNullable: true },
          { name: 'cache_data', type: 'text', isNullable: true },
          { name: 'key_id', type: 'varchar', length: '64', isNullable: true },
          { name: 'version', type: 'integer' },
          { name: 'connected', type: 'boolean' },
          { name: 'scopes', type: 'text' },
          { name: 'expires_at', type: 'varchar', length: '24', isNullable: true },
          { name: 'disconnected_reason', type: 'text', isNullable: true },
          { name: 'created_at', type: 'varchar', length: '24' },
          { name: 'updated_at', type: 'varchar', length: '24' },
        ],
      }),
      true,
    );
    await q.createIndex('auth_user_tokens', new TableIndex({ name: 'idx_auth_user_tokens_upn', columnNames: ['upn_lower'] }));
    await q.createTable(
      new Table({
        name: 'auth_connect_states',
        columns: [
          { name: 'state_hash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '64' },
          { name: 'user_principal_name', type: 'varchar', length: '320' },
          { name: 'code_verifier', type: 'text' },
          { name: 'key_id', type: 'varchar', length: '64' },
          { name: 'nonce', type: 'varchar', length: '128' },
          { name: 'return_url', type: 'text', isNullable: true },
          { name: 'created_at', type: 'varchar', length: '24' },
          { name: 'expires_at', type: 'varchar', length: '24' },
          { name: 'used_at', type: 'varchar', length: '24', isNullable: true },
        ],
      }),
      true,
    );
    await q.createIndex('auth_connect_states', new TableIndex({ name: 'idx_auth_connect_states_expires', columnNames: ['expires_at'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('auth_connect_states', true);
    await q.dropTable('auth_user_tokens', true);
  }
}
