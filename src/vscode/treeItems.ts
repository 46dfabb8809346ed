// How each tree node looks: label, description, icon and colour by state, anomaly marker,
// tooltip. Everything shown is plain text (never HTML or trusted markdown): it comes from
// the server.
import * as vscode from 'vscode';
import { currentHealthSummary, healthText, shortHealthText } from '../core/healthSummary';
import { describeObject, formatRelative, formatDuration, shortId, excerptJson, notesOfObject, type Marker, type ObjectState } from '../core';
import { Commands } from './ids';
import { GROUPS, connectionNotes, gapsOf, type TreeNode, type ObjectNode, type EventNode, type LinkNode } from './treeNodes';
import type { ObjectQuery } from '../inspector/objectQuery';
import { eventNoteTexts, noteItem, notesItem } from './noteItems';
import { summarizeServer } from '../inspector/serverSummary';

const TOOLTIP_BODY_CHARS = 1500;

export function renderTreeItem(node: TreeNode, query: ObjectQuery): vscode.TreeItem {
  switch (node.type) {
    case 'source': {
      const item = new vscode.TreeItem(node.source.name, vscode.TreeItemCollapsibleState.Expanded);
      const status = node.source.status;
      const server = summarizeServer(node.source.server);
      // Problems first: they are what the row is read for when there are any.
      item.description = [...server.warnings.map((w) => `⚠ ${w}`), status.kind, server.era, `${node.source.store.size.toLocaleString('en-US')} events`].join(' · ');
      item.tooltip = [node.source.name, `${status.kind}${status.detail ? `: ${status.detail}` : ''}`, ...server.details].join('\n');
      const warn = server.warnings.length > 0;
      item.iconPath = new vscode.ThemeIcon(
        node.source.kind === 'trace' ? 'file' : warn ? 'warning' : status.kind === 'connected' ? 'plug' : 'debug-disconnect',
        warn ? new vscode.ThemeColor('charts.orange') : undefined,
      );
      item.contextValue = `nkmedia.source.${node.source.kind}`;
      item.id = node.id;
      return item;
    }
    case 'group': {
      const label = GROUPS.find((g) => g.kind === node.kind)?.label ?? node.kind;
      const objects = query.objectsOf(node.source.store, node.kind);
      const item = new vscode.TreeItem(label, objects.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
      const live = objects.reduce((n, o) => n + (o.ended ? 0 : 1), 0);
      const flagged = objects.reduce((n, o) => n + (o.anomalies.length ? 1 : 0), 0);
      item.description = [`${objects.length}`, live && node.kind !== 'other' ? `${live} live` : '', flagged ? `⚠ ${flagged}` : ''].filter(Boolean).join(' · ');
      item.iconPath = new vscode.ThemeIcon(groupIcon(node.kind));
      item.contextValue = 'nkmedia.group';
      item.id = node.id;
      return item;
    }
    case 'ended': {
      const { ended } = query.liveAndEnded(node.source.store, node.kind);
      const item = new vscode.TreeItem('Ended', vscode.TreeItemCollapsibleState.Collapsed);
      const flagged = ended.reduce((n, o) => n + (o.anomalies.length ? 1 : 0), 0);
      item.description = [`${ended.length}`, flagged ? `⚠ ${flagged}` : ''].filter(Boolean).join(' · ');
      item.tooltip = `${ended.length.toLocaleString('en-US')} ended, the most recently ended first`;
      item.iconPath = new vscode.ThemeIcon('history');
      item.contextValue = 'nkmedia.ended';
      item.id = node.id;
      return item;
    }
    case 'object':
      return objectItem(node, node.source.store.getObject(node.key));
    case 'members': {
      const room = node.source.store.getObject(node.roomKey);
      const members = room ? (node.role === 'publisher' ? room.publishers : room.listeners) : new Map();
      const current = [...members.values()].filter((m) => m.leftTs === undefined).length;
      // Always expandable: VS Code keeps the first collapsible state it drew, so a room shown
      // while empty would never let its later members be seen.
      const item = new vscode.TreeItem(node.role === 'publisher' ? 'Publishers' : 'Listeners', vscode.TreeItemCollapsibleState.Expanded);
      item.description = `${current} now · ${members.size} in all`;
      item.iconPath = new vscode.ThemeIcon(node.role === 'publisher' ? 'broadcast' : 'eye');
      item.contextValue = 'nkmedia.members';
      item.id = node.id;
      return item;
    }
    case 'anomaly': {
      const object = node.source.store.getObject(node.objectKey);
      const anomaly = object?.anomalies[node.index];
      const item = new vscode.TreeItem(anomaly?.message ?? 'anomaly', vscode.TreeItemCollapsibleState.None);
      if (anomaly && object) item.description = `at ${formatRelative(anomaly.ts - object.firstTs)}`;
      item.tooltip = anomaly?.message;
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('charts.orange'));
      item.contextValue = 'nkmedia.anomaly';
      item.id = node.id;
      return item;
    }
    case 'link':
      return linkItem(node);
    case 'event':
      return eventItem(node);
    case 'connection': {
      const gaps = gapsOf(node.source);
      const away = gaps.reduce((sum, g) => sum + ((g.until ?? g.ts) - g.ts), 0);
      const server = summarizeServer(node.source.server);
      const invalid = connectionNotes(node.source).length - gaps.length + node.source.store.invalidNotKept;
      const listed = gaps.length + invalid > 0;
      const item = new vscode.TreeItem(node.source.kind === 'trace' ? 'Server' : 'Connection', listed ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
      const gapText = gaps.length ? `${gaps.length} gap${gaps.length > 1 ? 's' : ''} · ${formatDuration(away)} without events` : undefined;
      const invalidText = invalid ? `${invalid} invalid event${invalid > 1 ? 's' : ''}` : undefined;
      const health = currentHealthSummary(node.source.store);
      item.description = [gapText, invalidText, ...server.warnings.map((w) => `⚠ ${w}`), listed || node.source.kind === 'trace' ? '' : node.source.status.kind, server.era, shortHealthText(health)].filter(Boolean).join(' · ');
      item.tooltip = [
        ...server.details,
        health.samples > 0 ? `Health: ${healthText(health)}. Answer latency runs from reading a server request to writing its answer; the server closes a connection whose request waits 5 s.` : '',
        gaps.length ? 'Gaps: times the connection was lost; events the server sent then were not received.' : '',
        invalid ? 'Invalid events: frames the server sent as events that are not valid NkMEDIA events (answered ok; kept in saved traces).' : '',
      ].filter(Boolean).join('\n');
      const warn = listed || server.warnings.length > 0;
      item.iconPath = new vscode.ThemeIcon(warn ? 'warning' : node.source.kind === 'trace' ? 'server' : 'plug', warn ? new vscode.ThemeColor('charts.orange') : undefined);
      item.contextValue = 'nkmedia.connection';
      item.id = node.id;
      return item;
    }
    case 'gap': {
      const note = connectionNotes(node.source)[node.index];
      if (note?.kind === 'invalid') return invalidEventItem(node.id, note);
      const gap = note;
      const item = new vscode.TreeItem(gap ? `gap at ${new Date(gap.ts).toISOString().slice(11, 23)}` : 'gap', vscode.TreeItemCollapsibleState.None);
      if (gap) {
        item.description = `${formatDuration((gap.until ?? gap.ts) - gap.ts)}${gap.reason ? ` · ${gap.reason}` : ''}`;
        item.tooltip = `No events from ${new Date(gap.ts).toISOString()} to ${gap.until ? new Date(gap.until).toISOString() : '?'}${gap.reason ? `\n${gap.reason}` : ''}`;
      }
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('charts.orange'));
      item.contextValue = 'nkmedia.gap';
      item.id = node.id;
      return item;
    }
    case 'notes':
      return notesItem(node);
    case 'note':
      return noteItem(node);
    case 'more': {
      const item = new vscode.TreeItem(`Show more… (${node.remaining.toLocaleString('en-US')} more)`, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.command = { command: Commands.showMore, title: 'Show more', arguments: [node] };
      item.contextValue = 'nkmedia.more';
      item.id = node.id;
      return item;
    }
  }
}

function groupIcon(kind: string): string {
  switch (kind) {
    case 'session':
      return 'pulse';
    case 'room':
      return 'organization';
    case 'call':
      return 'call-outgoing';
    default:
      return 'question';
  }
}

/** Icon and theme colour for an object's state: ended grey, faults red, declined calls orange. */
export function stateIcon(object: ObjectState): vscode.ThemeIcon {
  const { icon, color } = stateIconSpec(object);
  return new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
}

function stateIconSpec(object: ObjectState): { icon: string; color: string } {
  const endColor = object.endVerdict === 'fault' ? 'charts.red' : object.endVerdict === 'declined' ? 'charts.orange' : 'disabledForeground';
  switch (object.kind) {
    case 'session':
      if (object.ended) return { icon: 'circle-slash', color: endColor };
      if (object.state === 'answered') return { icon: 'circle-filled', color: 'charts.green' };
      return { icon: 'circle-large-outline', color: 'charts.yellow' };
    case 'room':
      return { icon: 'organization', color: object.ended ? endColor : 'charts.blue' };
    case 'call':
      if (object.ended) return { icon: 'call-incoming', color: endColor };
      if (object.state === 'answered') return { icon: 'call-outgoing', color: 'charts.green' };
      return { icon: 'bell', color: 'charts.yellow' };
    default:
      return { icon: 'symbol-misc', color: 'charts.purple' };
  }
}

/**
 * What an object's row shows, as one string: when it is unchanged the row need not be
 * redrawn (a redraw cancels the hover under the pointer).
 */
export function objectRowSignature(object: ObjectState | undefined): string {
  if (!object) return '';
  const { label, description } = describeObject(object);
  const { icon, color } = stateIconSpec(object);
  return [label, description, object.anomalies.length, icon, color].join('\u0000');
}

/** A row's description, with "✎ N" when the object has notes (its first children list them). */
function withNoteCount(node: ObjectNode, description: string): string {
  const notes = notesOfObject(node.source.store, node.key).length;
  return notes === 0 ? description : [description, `✎ ${notes}`].filter(Boolean).join(' · ');
}

function objectItem(node: ObjectNode, object: ObjectState | undefined): vscode.TreeItem {
  if (!object) {
    const gone = new vscode.TreeItem(`${node.key} (evicted)`, vscode.TreeItemCollapsibleState.None);
    gone.id = node.id;
    return gone;
  }
  const { label, description } = describeObject(object);
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = node.id;
  // ⚠ once: the icon says there is a problem, the description names it in a few words, and
  // the first rows under the object give it in full.
  item.description = withNoteCount(node, description);
  item.iconPath = object.anomalies.length ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('charts.orange')) : stateIcon(object);
  // No tooltip here: `resolveTreeItem` writes it when the pointer rests on the row, current
  // then ("alive for" counts to that moment) without the row being redrawn for it.
  item.contextValue = 'nkmedia.object';
  item.accessibilityInformation = { label: `${object.kind} ${object.objId} ${object.state}${object.anomalies.length ? `, ${object.anomalies.length} anomalies` : ''}` };
  return item;
}

export function objectTooltip(object: ObjectState): string {
  const lines = [`${object.kind} ${object.objId || '(no id)'}`, `state: ${object.state}`];
  if (object.subclass && object.kind === 'other') lines.push(`class/subclass: ${object.class}/${object.subclass}`);
  if (object.sessionType) lines.push(`type: ${object.sessionType}`);
  if (object.user) lines.push(`user: ${object.user}`);
  if (object.roomClass || object.backend) lines.push(`room: ${[object.roomClass, object.backend].filter(Boolean).join(' on ')}`);
  if (object.role) lines.push(`role: ${object.role}`);
  if (object.peer) lines.push(`peer: ${object.peer}`);
  if (object.publishers?.size) lines.push(`publishers: ${object.publishers.size}`);
  if (object.listeners?.size) lines.push(`listeners: ${object.listeners.size}`);
  lines.push(`first event: ${new Date(object.firstTs).toISOString()}`);
  const end = object.endTs ?? object.lastTs;
  lines.push(`${object.ended ? 'lasted' : 'alive for'}: ${formatDuration(end - object.firstTs)}`);
  if (object.code !== undefined || object.reason !== undefined) lines.push(`end: code ${String(object.code ?? '?')}${object.reason ? `, ${String(object.reason)}` : ''}${object.endVerdict ? ` (${object.endVerdict})` : ''}`);
  if (object.fromSnapshot) lines.push('seen in the snapshot taken on connect (it existed before)');
  lines.push(`events: ${object.eventCount}`);
  for (const anomaly of object.anomalies) lines.push(`⚠ ${anomaly.message}`);
  return lines.join('\n');
}

function linkItem(node: LinkNode): vscode.TreeItem {
  const target = node.source.store.getObject(node.targetKey);
  const targetId = node.targetKey.slice(node.targetKey.lastIndexOf('/') + 1);
  const item = new vscode.TreeItem(`${node.relation} ${shortId(targetId)}`, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  const parts: string[] = [];
  if (node.parent?.type === 'members') {
    const room = node.source.store.getObject(node.parent.roomKey);
    const member = (node.relation === 'publisher' ? room?.publishers : room?.listeners)?.get(targetId);
    if (member?.user) parts.push(member.user);
    if (member?.peer) parts.push(`→ ${shortId(member.peer)}`);
    if (member?.leftTs !== undefined) parts.push('left');
  }
  if (target) parts.push(target.state);
  item.description = parts.join(' · ');
  item.tooltip = target ? objectTooltip(target) : `${targetId} (no events seen for it)`;
  item.iconPath = new vscode.ThemeIcon(node.relation === 'room' ? 'organization' : 'link');
  item.contextValue = 'nkmedia.link';
  item.command = { command: Commands.revealObject, title: 'Reveal', arguments: [node.source.id, node.targetKey] };
  return item;
}

function eventItem(node: EventNode): vscode.TreeItem {
  const store = node.source.store;
  const event = store.getEvent(node.seq);
  const object = store.getObject(node.objectKey);
  const type = event?.data.type ?? '(no type)';
  const item = new vscode.TreeItem(type, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  if (!event) {
    item.description = 'evicted';
    return item;
  }
  item.description = object ? formatRelative(event.ts - object.firstTs) : new Date(event.ts).toISOString();
  const unknown = object?.anomalies.some((a) => a.kind === 'unknown-type' && a.seq === node.seq);
  item.iconPath = new vscode.ThemeIcon(unknown ? 'question' : eventIcon(type));
  item.tooltip = `${type} · #${event.seq} · ${new Date(event.ts).toISOString()}\n${excerptJson(event.data.body ?? {}, TOOLTIP_BODY_CHARS)}`;
  const notes = eventNoteTexts(store, node.objectKey, node.seq);
  if (notes.length > 0) {
    item.description = `${item.description} · ✎ ${notes[0].line}${notes.length > 1 ? ` (+${notes.length - 1})` : ''}`;
    item.tooltip = `${notes.map((n) => `✎ ${n.text}`).join('\n')}\n\n${item.tooltip}`;
  }
  item.contextValue = 'nkmedia.event';
  item.command = { command: Commands.openEventJson, title: 'Open Event as JSON', arguments: [node] };
  return item;
}

function eventIcon(type: string): string {
  if (type === 'answer' || type === 'accepted') return 'check';
  if (type === 'stop' || type === 'hangup' || type === 'destroyed') return 'debug-stop';
  if (type === 'ringing') return 'bell';
  if (type === 'updated_type' || type === 'type') return 'edit';
  if (type === 'created') return 'debug-start';
  if (type === 'inspector:snapshot') return 'history';
  if (type.startsWith('started')) return 'debug-start';
  if (type.startsWith('stopped')) return 'debug-stop';
  return 'symbol-event';
}

/** An invalid event under "Connection": why, when, and the frame as text (never as markdown). */
function invalidEventItem(id: string, marker: Marker): vscode.TreeItem {
  const item = new vscode.TreeItem(`invalid event at ${new Date(marker.ts).toISOString().slice(11, 23)}`, vscode.TreeItemCollapsibleState.None);
  item.description = marker.reason ?? '';
  item.tooltip = `${marker.reason ?? 'invalid event'}\n\n${excerptText(marker.frame ?? '', 600)}`;
  item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('charts.orange'));
  item.contextValue = 'nkmedia.invalidEvent';
  item.id = id;
  return item;
}

function excerptText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}
