// @jitsi/rnnoise-wasm ships JavaScript without types: what the noise worklet uses of its Emscripten factory.
declare module "@jitsi/rnnoise-wasm/dist/rnnoise.js" {
  export interface RnnoiseModule {
    HEAPF32: Float32Array;
    _malloc(bytes: number): number;
    _free(pointer: number): void;
    _rnnoise_create(model: number): number;
    _rnnoise_destroy(state: number): void;
    _rnnoise_process_frame(state: number, output: number, input: number): number;
  }
  interface Options {
    instantiateWasm(imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance, module?: WebAssembly.Module) => void): object;
  }
  const createRNNWasmModule: (options: Options) => Promise<RnnoiseModule>;
  export default createRNNWasmModule;
}
