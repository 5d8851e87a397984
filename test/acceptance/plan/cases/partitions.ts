import type { ConvergenceCase } from '../../../support/convergence';

const measurement = `CREATE TABLE measurement (id int, logdate date NOT NULL, v numeric) PARTITION BY RANGE (logdate);
  CREATE TABLE measurement_2024 PARTITION OF measurement FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');`;

export const partitions: ConvergenceCase[] = [
  {
    name: 'partitioned table added',
    from: '',
    to: measurement,
  },
  {
    name: 'partitioned table gains a partition',
    expectedSql: `CREATE TABLE "public"."measurement_2025" PARTITION OF "public"."measurement" FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');`,
    from: measurement,
    to: `${measurement} CREATE TABLE measurement_2025 PARTITION OF measurement FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');`,
    seed: `INSERT INTO measurement VALUES (1, '2024-05-01', 1.5), (2, '2024-06-01', 2.5);`,
  },
  {
    name: 'default partition added',
    from: measurement,
    to: `${measurement} CREATE TABLE measurement_other PARTITION OF measurement DEFAULT;`,
    seed: `INSERT INTO measurement VALUES (1, '2024-05-01', 1.5);`,
  },
  {
    name: 'list partitions',
    from: '',
    to: `CREATE TABLE sale (id int, region text) PARTITION BY LIST (region);
      CREATE TABLE sale_eu PARTITION OF sale FOR VALUES IN ('de', 'fr');
      CREATE TABLE sale_us PARTITION OF sale FOR VALUES IN ('us');`,
  },
  {
    name: 'hash partitions',
    from: '',
    to: `CREATE TABLE h (id int) PARTITION BY HASH (id);
      CREATE TABLE h0 PARTITION OF h FOR VALUES WITH (MODULUS 2, REMAINDER 0);
      CREATE TABLE h1 PARTITION OF h FOR VALUES WITH (MODULUS 2, REMAINDER 1);`,
  },
  {
    name: 'index on a partitioned table',
    from: measurement,
    to: `${measurement} CREATE INDEX measurement_logdate ON measurement (logdate);`,
    seed: `INSERT INTO measurement VALUES (1, '2024-05-01', 1.5);`,
  },
  {
    name: 'primary key on a partitioned table',
    from: measurement,
    to: `CREATE TABLE measurement (id int, logdate date NOT NULL, v numeric, PRIMARY KEY (id, logdate)) PARTITION BY RANGE (logdate);
      CREATE TABLE measurement_2024 PARTITION OF measurement FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');`,
    seed: `INSERT INTO measurement VALUES (1, '2024-05-01', 1.5);`,
  },
  {
    name: 'column added to a partitioned table',
    from: measurement,
    to: `CREATE TABLE measurement (id int, logdate date NOT NULL, v numeric, unit text DEFAULT 'm') PARTITION BY RANGE (logdate);
      CREATE TABLE measurement_2024 PARTITION OF measurement FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');`,
    seed: `INSERT INTO measurement VALUES (1, '2024-05-01', 1.5);`,
  },
  {
    name: 'sub-partitioned partition',
    from: measurement,
    to: `${measurement}
      CREATE TABLE measurement_2025 PARTITION OF measurement FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') PARTITION BY HASH (id);
      CREATE TABLE measurement_2025_a PARTITION OF measurement_2025 FOR VALUES WITH (MODULUS 2, REMAINDER 0);
      CREATE TABLE measurement_2025_b PARTITION OF measurement_2025 FOR VALUES WITH (MODULUS 2, REMAINDER 1);`,
  },
  {
    name: 'trigger on a partitioned table',
    from: measurement,
    to: `${measurement}
      CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.v := NEW.v + 1; RETURN NEW; END $$;
      CREATE TRIGGER measurement_bump BEFORE INSERT ON measurement FOR EACH ROW EXECUTE FUNCTION bump();`,
  },
  {
    name: 'partition comment',
    from: measurement,
    to: `${measurement} COMMENT ON TABLE measurement_2024 IS 'year 2024';`,
  },
];
