// Binding listeners, with "port taken" turned into a PortInUseError that names the flag to change.

import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ServerCredentials, type Server as GrpcServer } from '@grpc/grpc-js';
import { PortInUseError } from './errors.js';

export interface ListenerName {
  /** Human name, e.g. "OTLP/HTTP". */
  label: string;
  /** CLI flag that changes the port, e.g. "--otlp-http-port". */
  flag: string;
}

/** "host:port" with IPv6 hosts in brackets. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function listenHttp(server: HttpServer, host: string, port: number, name: ListenerName): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, name.label, name.flag, host, { cause: error }) : error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

export function bindGrpc(server: GrpcServer, host: string, port: number, name: ListenerName): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(hostPort(host, port), ServerCredentials.createInsecure(), (error, boundPort) => {
      if (error === null) resolve(boundPort);
      else if (/EADDRINUSE|address already in use/i.test(error.message)) {
        reject(new PortInUseError(port, name.label, name.flag, host, { cause: error }));
      } else reject(error);
    });
  });
}
