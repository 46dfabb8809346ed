// TLS settings for wss:// connections. NkMEDIA deployments often use a private CA or a
// self-signed certificate; the inspector supports both without ever turning certificate
// checks off behind the user's back.
import { promises as fs } from 'fs';
import { rootCertificates } from 'tls';
import type { Logger } from '../shared/logger';

export interface TlsOptions {
  /** PEM file of a CA (or of the self-signed certificate itself) to trust for this connection. */
  caFile?: string;
  /** The same as PEM text. */
  ca?: string | Buffer;
  /** Default true. false accepts ANY certificate for this connection (a warning is logged). */
  rejectUnauthorized?: boolean;
}

/** The subset of tls.connect options passed to ws. */
export interface SocketTlsOptions {
  ca?: Array<string | Buffer>;
  rejectUnauthorized: boolean;
}

/**
 * Builds the tls options of one connection attempt. Returns undefined for ws:// URLs.
 * A custom CA is added to Node's default roots rather than replacing them, so a server with
 * a public certificate keeps working if the user also configured a private CA.
 * Rejects with a clear message if the CA file cannot be read.
 */
export async function resolveTlsOptions(url: string, redactedUrl: string, options: TlsOptions, logger: Logger): Promise<SocketTlsOptions | undefined> {
  if (!/^wss:/i.test(url)) return undefined;
  const extra: Array<string | Buffer> = [];
  if (options.caFile) {
    try {
      extra.push(await fs.readFile(options.caFile));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new Error(`cannot read the TLS CA file ${options.caFile} for ${redactedUrl}: ${code}`);
    }
  }
  if (options.ca) extra.push(options.ca);
  const rejectUnauthorized = options.rejectUnauthorized !== false;
  if (!rejectUnauthorized) {
    logger.warn(`TLS certificate checks are OFF for ${redactedUrl}: any certificate is accepted (rejectUnauthorized: false)`);
  }
  return extra.length > 0 ? { ca: [...rootCertificates, ...extra], rejectUnauthorized } : { rejectUnauthorized };
}

/** OpenSSL / Node error codes meaning "the certificate was not accepted". */
const CERTIFICATE_ERROR_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'INVALID_CA',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** A clear sentence for a TLS failure, or undefined if `error` is not about TLS. */
export function describeTlsError(redactedUrl: string, error: Error & { code?: string }): string | undefined {
  const code = error.code ?? '';
  if (CERTIFICATE_ERROR_CODES.has(code)) {
    const hint =
      code === 'ERR_TLS_CERT_ALTNAME_INVALID'
        ? 'connect with the host name the certificate was issued for'
        : 'set tls.caFile to the CA or certificate you trust, or set rejectUnauthorized: false for this connection only if you trust it';
    return `TLS certificate of ${redactedUrl} was rejected: ${error.message} (${hint})`;
  }
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_') || /wrong version number|ssl3_get_record|tlsv1 alert/i.test(error.message)) {
    return `TLS handshake with ${redactedUrl} failed: ${opensslReason(error.message)} (is the server really speaking TLS on this port? use ws:// for a plain server)`;
  }
  return undefined;
}

/**
 * OpenSSL messages are long, e.g. `write EPROTO 804C…:error:0A00010B:SSL routines:
 * ssl3_get_record:wrong version number:../deps/openssl/…:350:`; keep the readable part.
 */
function opensslReason(message: string): string {
  const parts = message.split(':');
  const routines = parts.findIndex((p) => /SSL routines/i.test(p));
  const reason = routines >= 0 ? parts[routines + 2] : undefined;
  return reason?.trim() || message.split('\n')[0].slice(0, 160);
}
