// MessagePack payloads are maps keyed by C# property names (PascalCase); the client works in camelCase like the
// JSON protocol. These convert plain objects recursively; arrays are walked, binary and scalars pass through.

type Rename = (key: string) => string;

const toCamel: Rename = (key) => (key.length > 0 ? key.charAt(0).toLowerCase() + key.slice(1) : key);
const toPascal: Rename = (key) => (key.length > 0 ? key.charAt(0).toUpperCase() + key.slice(1) : key);

function renameKeys(value: unknown, rename: Rename): unknown {
  if (Array.isArray(value)) return value.map((item) => renameKeys(item, rename));
  if (value === null || typeof value !== "object" || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) out[rename(key)] = renameKeys(inner, rename);
  return out;
}

export const fromMessagePack = (value: unknown): unknown => renameKeys(value, toCamel);
export const toMessagePack = (value: unknown): unknown => renameKeys(value, toPascal);
