/**
 * `COPY … FROM STDIN` over a node-postgres client. pg-copy-streams speaks COPY's sub-protocol on
 * the client's socket: the server answers CopyInResponse, takes CopyData messages and reports the
 * row count at CopyDone. An error on the server's side (a constraint, a cancel) ends the stream
 * with that error, SQLSTATE and position included, and the pipeline rejects with it. Loaded on
 * first use, like the other modules only some commands need.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClientBase } from 'pg';

export async function copyFromStdin(client: ClientBase, sql: string, chunks: AsyncIterable<string>): Promise<number> {
  const { from } = await import('pg-copy-streams');
  const stream = client.query(from(sql));
  await pipeline(Readable.from(chunks), stream);
  return stream.rowCount;
}
