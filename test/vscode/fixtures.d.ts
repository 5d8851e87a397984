/** SQL fixtures imported by the integration suites: esbuild's text loader (esbuild.mjs) inlines them. */
declare module '*.sql' {
  const text: string;
  export default text;
}
