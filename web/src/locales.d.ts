// Modules made by web/tools/locales.mjs (esbuild). "locale:<lang>/<part>": a language's compiled messages;
// "locale:index": every language in web/locales, its name in itself and how to load its parts.
declare module "locale:index" {
  type Catalog = Record<string, (values?: Record<string, unknown>) => string>;
  export const languages: Readonly<Record<string, string>>;
  export const loaders: Readonly<Record<string, Readonly<Record<"landing" | "meeting", () => Promise<{ default: Catalog }>>>>>;
}
declare module "locale:*" {
  const messages: Record<string, (values?: Record<string, unknown>) => string>;
  export default messages;
}
