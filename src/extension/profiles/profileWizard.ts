import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { ENVIRONMENTS, type Environment, type Profile, type SshSettings, type TlsSettings } from '../../core/connect/profile';
import { validateDatabase, validateHost, validateName, validatePort, validateUser } from '../../core/connect/validate';
import type { SslMode } from '../../core/db/target';
import { runSteps, type PickItem, type StepSource } from '../ui/multiStep';

/**
 * The add / edit / duplicate flow: one multi-step QuickInput. Every text step validates as the user
 * types; optional steps (CA file, client certificate, the SSH block) appear only when an earlier
 * answer needs them. Secrets typed here go to SecretStorage, never into the profile.
 */
export interface WizardResult {
  profile: Profile;
  /** undefined: keep what is stored (edit) or store nothing (add). */
  password?: string;
  sshPassphrase?: string;
}

export interface WizardOptions {
  title: string;
  initial?: Profile;
  /** Names already taken (the profile being edited excluded). */
  takenNames: readonly string[];
  /** Editing: an empty password keeps the stored one. */
  hasStoredPassword: boolean;
}

export async function profileWizard(options: WizardOptions): Promise<WizardResult> {
  const p = options.initial;
  const draft = {
    name: p?.name ?? '',
    host: p?.host ?? 'localhost',
    port: String(p?.port ?? 5432),
    database: p?.database ?? '',
    user: p?.user ?? '',
    password: '',
    environment: p?.environment ?? ('development' as Environment),
    readOnly: p?.readOnly ?? false,
    tls: { ...(p?.tls ?? { mode: 'prefer' as SslMode }) } as TlsSettings,
    useSsh: p?.ssh !== undefined,
    ssh: { host: '', user: '', ...(p?.ssh ?? {}) } as SshSettings,
    sshPort: String(p?.ssh?.port ?? 22),
    sshAuth: (p?.ssh?.privateKeyFile ? 'key' : p?.ssh ? 'agent' : 'key') as 'key' | 'agent',
    sshPassphrase: '',
  };
  const text = (prompt: string, value: () => string, set: (v: string) => void, validate: (v: string) => string | undefined, extra: { placeholder?: string; password?: boolean } = {}): StepSource =>
    () => ({ kind: 'text', prompt, value: value(), validate, accept: set, ...extra });
  const pick = <T>(placeholder: string, items: PickItem<T>[], active: () => T, set: (v: T) => void): StepSource =>
    () => ({ kind: 'pick', placeholder, items: items as PickItem<unknown>[], active: active(), accept: (v) => set(v as T) });
  const when = (condition: () => boolean, step: StepSource): StepSource => () => (condition() ? (typeof step === 'function' ? step() : step) : undefined);

  const steps: StepSource[] = [
    text('Profile name, as the Databases view shows it', () => draft.name, (v) => (draft.name = v.trim()),
      (v) => validateName(v, options.takenNames) ?? (v.includes('/') ? 'a profile name cannot contain "/"' : undefined), { placeholder: 'e.g. production' }),
    text('Host name or IP address of the PostgreSQL server (${env:NAME} allowed)', () => draft.host, (v) => (draft.host = v.trim()),
      (v) => validateHost(v) ?? envProblem(v)),
    text('Port', () => draft.port, (v) => (draft.port = v.trim()), validatePort),
    text('Database name (${env:NAME} allowed)', () => draft.database, (v) => (draft.database = v.trim()),
      (v) => validateDatabase(v) ?? envProblem(v)),
    text('User name (${env:NAME} allowed)', () => draft.user, (v) => (draft.user = v.trim()),
      (v) => validateUser(v) ?? envProblem(v)),
    text(options.hasStoredPassword ? 'Password (leave empty to keep the stored one); kept in VS Code\'s secret storage' : 'Password (leave empty if the server needs none); kept in VS Code\'s secret storage',
      () => '', (v) => (draft.password = v), () => undefined, { password: true }),
    pick('Environment: production profiles ask for confirmation before any change', ENVIRONMENTS.map((e) => ({
      label: e, value: e, description: ENV_HINT[e],
    })), () => draft.environment, (v) => (draft.environment = v)),
    pick('Access', [
      { label: 'Read and write', value: false, description: 'migrations can run against this database' },
      { label: 'Read-only', value: true, description: 'compare and measure only; every write is refused' },
    ], () => draft.readOnly, (v) => (draft.readOnly = v)),
    pick('TLS (sslmode)', TLS_MODES.map(([mode, description]) => ({ label: mode, value: mode, description })),
      () => draft.tls.mode, (v) => (draft.tls = { ...draft.tls, mode: v })),
    when(() => draft.tls.mode === 'verify-ca' || draft.tls.mode === 'verify-full',
      text('CA certificate file (PEM) that signed the server\'s certificate, e.g. your cloud provider\'s bundle', () => draft.tls.caFile ?? '',
        (v) => setOptional(draft.tls, 'caFile', v), (v) => fileProblem(v, true))),
    when(() => draft.tls.mode !== 'disable',
      text('Client certificate file (PEM), only for servers that authenticate clients by certificate; leave empty otherwise', () => draft.tls.certFile ?? '',
        (v) => setOptional(draft.tls, 'certFile', v), (v) => fileProblem(v, false))),
    when(() => draft.tls.mode !== 'disable' && !!draft.tls.certFile,
      text('Client key file (PEM) for that certificate', () => draft.tls.keyFile ?? '',
        (v) => setOptional(draft.tls, 'keyFile', v), (v) => fileProblem(v, true))),
    pick('Connection route', [
      { label: 'Direct', value: false, description: 'connect to the host and port above' },
      { label: 'Through an SSH tunnel', value: true, description: 'via a bastion host; the host above is resolved from the bastion' },
    ], () => draft.useSsh, (v) => (draft.useSsh = v)),
    when(() => draft.useSsh, text('SSH bastion host', () => draft.ssh.host, (v) => (draft.ssh.host = v.trim()), validateHost)),
    when(() => draft.useSsh, text('SSH port', () => draft.sshPort, (v) => (draft.sshPort = v.trim()), validatePort)),
    when(() => draft.useSsh, text('SSH user', () => draft.ssh.user, (v) => (draft.ssh.user = v.trim()), validateUser)),
    when(() => draft.useSsh, pick('SSH authentication', [
      { label: 'Private key file', value: 'key' as const, description: 'e.g. ~/.ssh/id_ed25519' },
      { label: 'SSH agent', value: 'agent' as const, description: 'keys loaded in the agent at $SSH_AUTH_SOCK' },
    ], () => draft.sshAuth, (v) => (draft.sshAuth = v))),
    when(() => draft.useSsh && draft.sshAuth === 'key',
      text('Private key file', () => draft.ssh.privateKeyFile ?? `${homedir()}/.ssh/id_ed25519`, (v) => setOptional(draft.ssh, 'privateKeyFile', v), (v) => fileProblem(v, true))),
    when(() => draft.useSsh && draft.sshAuth === 'key',
      text('Passphrase of the key (leave empty if it has none); kept in VS Code\'s secret storage', () => '', (v) => (draft.sshPassphrase = v), () => undefined, { password: true })),
    when(() => draft.useSsh,
      text('Bastion host key fingerprint (SHA256:…, as ssh-keygen -lf prints it); leave empty to check ~/.ssh/known_hosts and confirm on first use',
        () => draft.ssh.hostKeyFingerprint ?? '', (v) => setOptional(draft.ssh, 'hostKeyFingerprint', v), fingerprintProblem)),
  ];
  await runSteps(options.title, steps);

  const profile: Profile = {
    name: draft.name,
    host: draft.host,
    database: draft.database,
    user: draft.user,
    environment: draft.environment,
  };
  if (Number(draft.port) !== 5432) profile.port = Number(draft.port);
  if (draft.readOnly) profile.readOnly = true;
  if (draft.tls.mode !== 'prefer' || draft.tls.caFile || draft.tls.certFile) profile.tls = pruneTls(draft.tls);
  if (draft.useSsh) {
    const ssh: SshSettings = { host: draft.ssh.host, user: draft.ssh.user };
    if (Number(draft.sshPort) !== 22) ssh.port = Number(draft.sshPort);
    if (draft.sshAuth === 'key' && draft.ssh.privateKeyFile) ssh.privateKeyFile = draft.ssh.privateKeyFile;
    else ssh.useAgent = true;
    if (draft.ssh.hostKeyFingerprint) ssh.hostKeyFingerprint = draft.ssh.hostKeyFingerprint;
    if (draft.ssh.knownHostsFile) ssh.knownHostsFile = draft.ssh.knownHostsFile;
    profile.ssh = ssh;
  }
  if (p?.connectTimeoutSeconds !== undefined) profile.connectTimeoutSeconds = p.connectTimeoutSeconds;
  const result: WizardResult = { profile };
  if (draft.password !== '') result.password = draft.password;
  if (draft.sshPassphrase !== '') result.sshPassphrase = draft.sshPassphrase;
  return result;
}

const ENV_HINT: Record<Environment, string> = {
  development: 'your own or a shared development database',
  staging: 'a copy of production for rehearsals',
  production: 'changes need the database name typed to confirm',
};

const TLS_MODES: [SslMode, string][] = [
  ['prefer', 'no encryption unless asked for (node-postgres cannot fall back the way libpq does)'],
  ['disable', 'never encrypt'],
  ['require', 'encrypt, without checking the server\'s certificate'],
  ['verify-ca', 'encrypt and check the certificate against a CA file'],
  ['verify-full', 'encrypt, check the certificate and that it names the host'],
];

function setOptional<K extends string>(target: Partial<Record<K, string>>, key: K, value: string): void {
  const trimmed = value.trim();
  if (trimmed) target[key] = trimmed;
  else delete target[key];
}

function pruneTls(tls: TlsSettings): TlsSettings {
  const out: TlsSettings = { mode: tls.mode };
  if ((tls.mode === 'verify-ca' || tls.mode === 'verify-full') && tls.caFile) out.caFile = tls.caFile;
  if (tls.mode !== 'disable' && tls.certFile) {
    out.certFile = tls.certFile;
    if (tls.keyFile) out.keyFile = tls.keyFile;
  }
  return out;
}



/** `${env:NAME}` is expanded when connecting; only its spelling is checked here. */
function envProblem(value: string): string | undefined {
  const bad = /\$\{(?!env:[A-Za-z_][A-Za-z0-9_]*\})[^}]*\}?/.exec(value);
  return bad ? `"${bad[0]}" is not a variable pgdrift expands; write \${env:NAME}.` : undefined;
}


function fileProblem(value: string, required: boolean): string | undefined {
  const path = value.trim();
  if (!path) return required ? 'Enter the path of the file.' : undefined;
  const expanded = path.startsWith('~/') ? `${homedir()}${path.slice(1)}` : path;
  if (!existsSync(expanded)) return `No file at ${path}.`;
  if (!statSync(expanded).isFile()) return `${path} is not a file.`;
  return undefined;
}

function fingerprintProblem(value: string): string | undefined {
  const v = value.trim();
  if (!v) return undefined;
  return /^SHA256:[A-Za-z0-9+/]{43}=?$/.test(v) ? undefined : 'A fingerprint looks like SHA256: followed by 43 characters, as ssh-keygen -lf prints it.';
}
