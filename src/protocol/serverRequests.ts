// What the inspector answers to each request the server sends. NkSERVICE closes a connection
// whose requests go unanswered for 5 seconds, so every request gets an answer, at once:
// events and pings an ok, anything the inspector does not implement an error.
import { errorResponse, okResponse, type RequestFrame, type Tid } from './frames';
import { echoTid } from './rawTid';

export type ServerRequestKind = 'event' | 'ping' | 'unknown';

export interface ServerRequestAnswer {
  kind: ServerRequestKind;
  /** The answer frame text. */
  answer: string;
}

/** `media/call/invite`, or `core/ping` when there is no subclass. */
export function requestName(frame: Pick<RequestFrame, 'class' | 'subclass' | 'cmd'>): string {
  return frame.subclass === undefined ? `${frame.class}/${frame.cmd}` : `${frame.class}/${frame.subclass}/${frame.cmd}`;
}

/** `frameText`, the request as received, lets a tid JSON.parse could not keep go back as it came. */
export function answerServerRequest(frame: RequestFrame, frameText?: string): ServerRequestAnswer {
  const tid = echoTid(frame.tid, frameText);
  // Events and pings are matched on class and cmd only: a subclass there is unexpected but
  // harmless, and refusing an event would lose it.
  if (frame.class === 'core' && frame.cmd === 'event') return { kind: 'event', answer: okResponse(tid) };
  if (frame.class === 'core' && frame.cmd === 'ping') return { kind: 'ping', answer: okResponse(tid) };
  return { kind: 'unknown', answer: errorResponse(tid, `not implemented by NkMEDIA Inspector: ${requestName(frame)}`) };
}

/** A tid from a frame that failed validation, if it has a usable one. */
export function usableTid(value: unknown): Tid | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const tid = (value as Record<string, unknown>).tid;
  return typeof tid === 'number' || typeof tid === 'string' ? tid : undefined;
}
