// The device's identity on this phone: its id and its ECDSA P-256 key pair. The private key is a non-extractable
// CryptoKey: IndexedDB stores it by structured clone, and no script (ours included) can ever read its bytes.
export type TStoredDevice = { deviceId: string; name: string; username: string; privateKey: CryptoKey };

const DB = "twofold-authenticator";
const STORE = "device";
const KEY = "current";

const open = (): Promise<IDBDatabase> =>
  new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

const run = async <T,>(mode: IDBTransactionMode, action: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
  const db = await open();
  return new Promise<T>((resolve, reject) => {
    const request = action(db.transaction(STORE, mode).objectStore(STORE));
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
};

export const loadDevice = async (): Promise<TStoredDevice | undefined> => (await run<TStoredDevice | undefined>("readonly", (store) => store.get(KEY))) ?? undefined;
export const saveDevice = async (device: TStoredDevice): Promise<void> => void (await run("readwrite", (store) => store.put(device, KEY)));
export const forgetDevice = async (): Promise<void> => void (await run("readwrite", (store) => store.delete(KEY)));

export const signText = async (privateKey: CryptoKey, text: string): Promise<string> => {
  const signature = new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, privateKey, new TextEncoder().encode(text)));
  let binary = "";
  for (const byte of signature) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};
