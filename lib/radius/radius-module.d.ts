// The slice of the untyped `radius` 1.1.4 package Twofold uses: its dictionary loader and name <-> number tables,
// and (in tests, as an independent implementation to check ours against) encode/decode/verify_response.
declare module "radius" {
  type TAttributeTuple = [string | number, unknown, ...unknown[]];
  const radius: {
    add_dictionary: (file: string) => void;
    load_dictionaries: () => void;
    attr_name_to_id: (name: string, vendorId?: number) => string | undefined;
    attr_id_to_name: (id: number, vendorId?: number) => string | undefined;
    vendor_name_to_id: (name: string) => string | undefined;
    encode: (args: {
      code: string;
      secret: string;
      identifier?: number;
      authenticator?: Buffer;
      attributes?: TAttributeTuple[];
      add_message_authenticator?: boolean;
    }) => Buffer;
    decode: (args: { packet: Buffer; secret: string }) => {
      code: string;
      identifier: number;
      authenticator: Buffer;
      attributes: Record<string, unknown>;
      raw_attributes: [number, Buffer][];
    };
    verify_response: (args: { request: Buffer; response: Buffer; secret: string }) => boolean;
  };
  export default radius;
}
