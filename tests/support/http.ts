// HTTP to an app in a workload container, which may be (re)starting.

/** One HTTP request; a refused connection is retried for a while, as the app may be restarting. */
export async function http(url: string, init: RequestInit = {}): Promise<{ status: number; body: string; headers: Headers }> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
      return { status: response.status, body: await response.text(), headers: response.headers };
    } catch (error) {
      const code = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code;
      if (code !== "ECONNREFUSED" || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
