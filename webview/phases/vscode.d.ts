/** The API VS Code gives a webview's page: once per page, typed by the state it keeps. */
interface VsCodeApi<State> {
  postMessage(message: unknown): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<State = unknown>(): VsCodeApi<State>;

declare module '*.css';
