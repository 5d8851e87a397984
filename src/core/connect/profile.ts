/**
 * A connection profile: everything needed to reach one database except its secrets. Profiles live
 * in the `pgdrift.profiles` setting (so a team can share them in `.vscode/settings.json`) and the
 * CLI reads the same setting with `--profile NAME`. Secrets (the password, an SSH key passphrase)
 * never appear here: the extension keeps them in SecretStorage, the CLI takes them from PGPASSWORD
 * or ~/.pgpass.
 */
import type { SslMode } from '../db/target';

export type Environment = 'development' | 'staging' | 'production';
export const ENVIRONMENTS: readonly Environment[] = ['development', 'staging', 'production'];

/** TLS settings, named after libpq's parameters (sslmode, sslrootcert, sslcert, sslkey). */
export interface TlsSettings {
  mode: SslMode;
  /** CA bundle (PEM) that signs the server's certificate; used by verify-ca and verify-full. */
  caFile?: string;
  /** Client certificate and key (PEM), for servers that authenticate clients by certificate. */
  certFile?: string;
  keyFile?: string;
}

/** An SSH tunnel through a bastion host to the database's host and port. */
export interface SshSettings {
  host: string;
  /** Default 22. */
  port?: number;
  user: string;
  /** Private key file; its passphrase, if any, is a secret. Without it the SSH agent is used. */
  privateKeyFile?: string;
  /** Use the SSH agent ($SSH_AUTH_SOCK) instead of (or when there is no) key file. */
  useAgent?: boolean;
  /**
   * The bastion's host key, "SHA256:<base64>" as `ssh-keygen -lf` prints it. When set, only this
   * key is accepted; otherwise the key is looked up in known_hosts.
   */
  hostKeyFingerprint?: string;
  /** Default ~/.ssh/known_hosts. */
  knownHostsFile?: string;
}

export interface Profile {
  /** Unique, shown in the Databases view; the key of the profile's secrets. */
  name: string;
  /** Host, user and database may contain `${env:NAME}`, expanded when connecting. */
  host: string;
  /** Default 5432. */
  port?: number;
  database: string;
  user: string;
  /** Default development. Production profiles refuse writes without a confirmation from the user. */
  environment?: Environment;
  /** A read-only profile refuses every write. */
  readOnly?: boolean;
  /** Default { mode: 'prefer' }. */
  tls?: TlsSettings;
  ssh?: SshSettings;
  /** Default 10. */
  connectTimeoutSeconds?: number;
}

/** The secrets of one profile, supplied by the caller (SecretStorage, PGPASSWORD, ~/.pgpass). */
export interface ProfileSecrets {
  password?: string;
  sshPassphrase?: string;
}
