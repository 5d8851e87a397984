import { strict as assert } from 'node:assert';
import { loadParser } from '../../src/core/check/parser';
import { alignViewSpelling, bareColumns } from '../../src/core/diff/viewSpelling';
import type { SchemaModel, View } from '../../src/core/model/types';

describe('view definitions as PostgreSQL 16 prints them', () => {
  const bare = async (definition: string) => bareColumns(definition, await loadParser());

  it('one relation in FROM: its qualifier goes (alias, table name, quoted names; GROUP BY expressions too)', async () => {
    assert.equal(
      await bare(` SELECT te."userId",\n    date_trunc('day'::text, te."clockIn") AS day,\n    sum(te.hours) AS hours\n   FROM public."TimeEntry" te\n  GROUP BY te."userId", (date_trunc('day'::text, te."clockIn"));`),
      ` SELECT "userId",\n    date_trunc('day'::text, "clockIn") AS day,\n    sum(hours) AS hours\n   FROM public."TimeEntry" te\n  GROUP BY "userId", (date_trunc('day'::text, "clockIn"));`,
    );
    assert.equal(await bare(' SELECT "Job".id,\n    "Job".status\n   FROM public."Job"\n  WHERE "Job".status = \'te.x\'::text;'),
      ' SELECT id,\n    status\n   FROM public."Job"\n  WHERE status = \'te.x\'::text;');
  });

  it('sublinks, subqueries and WITH queries keep their qualifiers (every version prints them so); the outer test expression loses its own', async () => {
    const text = ' SELECT t.id\n   FROM public.t\n  WHERE t.id IN ( SELECT u.t_id\n           FROM public.u\n          WHERE u.t_id = t.id);';
    assert.equal(await bare(text), ' SELECT id\n   FROM public.t\n  WHERE id IN ( SELECT u.t_id\n           FROM public.u\n          WHERE u.t_id = t.id);');
  });

  it('joins, several relations and UNIONs are qualified on every version: unchanged', async () => {
    for (const text of [
      ' SELECT a.id,\n    b.name\n   FROM public.a\n     JOIN public.b ON b.a_id = a.id;',
      ' SELECT a.id\n   FROM public.a,\n    public.b\n  WHERE b.a_id = a.id;',
      ' SELECT a.id\n   FROM public.a\nUNION\n SELECT b.id\n   FROM public.b;',
    ]) assert.equal(await bare(text), text);
  });

  it('only the side older than 16 is respelled, and only when the two sides straddle 16', async () => {
    const view = (definition: string): View => ({ id: 'view:"public"."v"', schema: 'public', name: 'v', materialized: false, definition, columns: [], owner: 'postgres' });
    const model = (definition: string) => ({ views: [view(definition)] }) as unknown as SchemaModel;
    const old = model(' SELECT t.id\n   FROM public.t;');
    const current = model(' SELECT id\n   FROM public.t;');
    const aligned = await alignViewSpelling({ model: old, serverVersionNum: 150018 }, { model: current, serverVersionNum: 180007 });
    assert.equal(aligned.from.views[0]?.definition, ' SELECT id\n   FROM public.t;');
    assert.equal(aligned.to, current);
    const same = await alignViewSpelling({ model: old, serverVersionNum: 130022 }, { model: old, serverVersionNum: 150018 });
    assert.equal(same.from, old);
    assert.equal(same.to, old);
  });
});
