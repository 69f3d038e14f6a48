// "locale:<lang>/<part>" modules are made by web/tools/locales.mjs (esbuild): a language's compiled messages.
declare module "locale:*" {
  const messages: Record<string, (values?: Record<string, unknown>) => string>;
  export default messages;
}
