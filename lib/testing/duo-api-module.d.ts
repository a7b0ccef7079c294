// The slice of the untyped npm `@duosecurity/duo_api` 1.5 (Duo's Node.js client) the tests drive.
declare module "@duosecurity/duo_api" {
  export const SIGNATURE_VERSION_2: 2;
  export const SIGNATURE_VERSION_5: 5;
  export class Client {
    constructor(ikey: string, skey: string, host: string, sigVersion?: 2 | 5);
    jsonApiCall(method: string, path: string, params: Record<string, string | string[]>, callback: (response: unknown) => void): void;
  }
}

// Its signing module: an independent implementation of Duo's canonicalization to check Twofold's verifier against.
declare module "@duosecurity/duo_api/lib/duo_sig" {
  export const sign: (ikey: string, skey: string, method: string, host: string, path: string, params: Record<string, string | string[]>, date: string) => string;
  export const signV5: (ikey: string, skey: string, method: string, host: string, path: string, params: Record<string, string | string[]>, date: string, body: string) => string;
}
