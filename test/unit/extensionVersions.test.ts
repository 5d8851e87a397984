import { strict as assert } from 'node:assert';
import { alignExtensionVersions } from '../../src/core/diff/extensionVersions';
import { extensions } from '../../src/core/diff/schemas';
import type { Extension, SchemaModel } from '../../src/core/model/types';
import { unpinnedExtensions } from '../../src/core/sources/extensions';
import { parseScript } from '../../src/core/sources/script';

const ext = (name: string, version: string): Extension => ({ id: `extension:"${name}"`, name, schema: 'public', version });
const model = (...list: Extension[]) => ({ extensions: list }) as unknown as SchemaModel;

describe('extension versions of SQL files', () => {
  it('an extension created without VERSION (and not updated to one) is unpinned', async () => {
    const script = await parseScript({
      name: 's.sql',
      text: 'CREATE EXTENSION citext;\nCREATE EXTENSION IF NOT EXISTS hstore WITH SCHEMA public VERSION \'1.8\';\nCREATE EXTENSION ltree;\nALTER EXTENSION ltree UPDATE TO \'1.3\';\nCREATE EXTENSION "uuid-ossp";\n',
    });
    assert.deepEqual(unpinnedExtensions([script]), ['citext', 'uuid-ossp']);
  });

  it('an unpinned extension takes the other side\'s version; one only the files have is created at the server\'s default version', () => {
    const live = model(ext('citext', '1.6'), ext('hstore', '1.7'));
    const files = model(ext('citext', '1.8'), ext('hstore', '1.8'), ext('pgcrypto', '1.3'));
    const aligned = alignExtensionVersions({ model: live }, { model: files, unpinnedExtensions: ['citext', 'pgcrypto'] });
    assert.equal(aligned.from, live);
    assert.deepEqual(aligned.to.extensions.map((e) => [e.name, e.version]), [['citext', '1.6'], ['hstore', '1.8'], ['pgcrypto', '']]);
    const create = extensions.create(aligned.to.extensions[2]!, {} as never);
    assert.equal(create[0]?.sql, 'CREATE EXTENSION IF NOT EXISTS "pgcrypto" WITH SCHEMA "public"');
  });
});
