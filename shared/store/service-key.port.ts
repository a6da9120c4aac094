/** Keys the service makes for itself, shared by every instance (the cursor signing key). */
interface ServiceKeyStore {
  /**
   * The key named `name`: the one stored, or `candidate` stored now when there is none yet (two
   * instances racing both get the winner's).
   */
  serviceKey(input: { name: string; candidate: string; at: Date }): Promise<string>;
  /** The key named `name` if one is stored; made by nobody here. */
  findServiceKey(name: string): Promise<string | null>;
}

export type { ServiceKeyStore };
