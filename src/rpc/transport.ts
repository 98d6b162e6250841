/** A listening server: which library carries it, the port it got, and how to stop it. */
export interface Transport {
  readonly name: 'uws' | 'ws';
  readonly port: number;
  /** Closes every connection (WebSockets with 1001 "server shutting down") and stops listening. */
  close(): Promise<void>;
}
