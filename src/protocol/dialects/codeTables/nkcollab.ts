// The error codes nkcollab adds for its calls and rooms, on master (nkcollab@c0119d7) and on
// develop (nkcollab@85db3e1). Its own module so that each era's tables can be read, and checked
// against their sources, alone.
import type { CodeEntry } from '../types';
import { codeEntries } from './codeEntries';

/** nkcollab@c0119d7: src/call/nkcollab_call_callbacks.erl:77-89, src/room/nkcollab_room_callbacks.erl and the sip/verto callbacks */
export const NKCOLLAB_2016: readonly CodeEntry[] = codeEntries([
  ['call_error', 305001, 'Call error'],
  ['call_not_found', 305002, 'Call not found'],
  ['call_rejected', 305003, 'Call rejected'],
  ['ring_timeout', 305004, 'Ring timeout'],
  ['no_destination', 305005, 'No destination'],
  ['no_answer', 305006, 'No answer'],
  ['already_answered', 305007, 'Already answered'],
  ['originator_cancel', 305008, 'Originator cancel'],
  ['caller_stopped', 305009, 'Caller stopped'],
  ['callee_stopped', 305010, 'Callee stopped'],
  ['api_hangup', 305011, 'API hangup'],
  ['sip_bye', 308001, 'SIP Bye'],
  ['sip_cancel', 308002, 'SIP Cancel'],
  ['sip_no_sdp', 308003, 'SIP Missing SDP'],
  ['sip_invite_error', 308004, 'SIP INVITE Error'],
  ['sip_reply_error', 308005, 'SIP Reply Error'],
  ['no_sip_data', 308006, 'No SIP Data'],
  ['verto_bye', 306001, 'Verto bye'],
  ['verto_rejected', 306002, 'Verto rejected'],
  ['media_room_down', 401001, 'Media room failed'],
  ['presenter_not_found', 401002, 'Presenter not found'],
  ['already_listening', 401003, 'Already listening'],
  ['member_is_not_publisher', 401004, 'Member is not a publisher'],
]);

/** nkcollab@85db3e1: src/call/nkcollab_call_callbacks.erl:67-79, src/room/nkcollab_room_callbacks.erl and the sip/verto callbacks */
export const NKCOLLAB_2017: readonly CodeEntry[] = codeEntries([
  ['call_error', 305001, 'Call error'],
  ['call_not_found', 305002, 'Call not found'],
  ['call_rejected', 305003, 'Call rejected'],
  ['ring_timeout', 305004, 'Ring timeout'],
  ['no_destination', 305005, 'No destination'],
  ['no_answer', 305006, 'No answer'],
  ['already_answered', 305007, 'Already answered'],
  ['originator_cancel', 305008, 'Originator cancel'],
  ['caller_stopped', 305009, 'Caller stopped'],
  ['callee_stopped', 305010, 'Callee stopped'],
  ['api_hangup', 305011, 'API hangup'],
  ['sip_bye', 308001, 'SIP Bye'],
  ['sip_cancel', 308002, 'SIP Cancel'],
  ['sip_no_sdp', 308003, 'SIP Missing SDP'],
  ['sip_invite_error', 308004, 'SIP INVITE Error'],
  ['sip_reply_error', 308005, 'SIP Reply Error'],
  ['no_sip_data', 308006, 'No SIP Data'],
  ['verto_bye', 306001, 'Verto bye'],
  ['verto_rejected', 306002, 'Verto rejected'],
  ['media_room_down', 401001, 'Media room failed'],
  ['presenter_not_found', 401002, 'Presenter not found'],
  ['already_listening', 401003, 'Already listening'],
  ['member_is_not_publisher', 401004, 'Member is not a publisher'],
]);
