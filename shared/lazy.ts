/**
 * Builds a value once, on first use, and keeps the promise (one per cold start). A failed build is
 * not kept: the next invocation tries again instead of failing forever.
 */
const lazy = <T>(build: () => Promise<T>): (() => Promise<T>) => {
  let pending: Promise<T> | undefined;
  return () => {
    if (!pending) {
      // Called inside an async function so that a build that throws at once (loadConfig does)
      // rejects like one that fails later, instead of escaping every caller's `.then`.
      pending = (async () => build())().catch((error: unknown) => {
        pending = undefined;
        throw error;
      });
    }
    return pending;
  };
};

export { lazy };
