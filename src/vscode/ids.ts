// Every id the manifest (package.json) and the code share: commands, views, settings and
// context keys. Keep this file and `contributes` in package.json in step; a unit test checks.

export const EXTENSION_ID = 'nkmedia-inspector.nkmedia-inspector';

export const Commands = {
  connect: 'nkmedia.connect',
  disconnect: 'nkmedia.disconnect',
  forgetConfirmedServers: 'nkmedia.forgetConfirmedServers',
  closeSource: 'nkmedia.closeSource',
  toggleConnection: 'nkmedia.toggleConnection',
  startDemoServer: 'nkmedia.startDemoServer',
  stopDemoServer: 'nkmedia.stopDemoServer',
  clear: 'nkmedia.clear',
  pause: 'nkmedia.pause',
  resume: 'nkmedia.resume',
  setFilter: 'nkmedia.setFilter',
  clearFilter: 'nkmedia.clearFilter',
  filterToObject: 'nkmedia.filterToObject',
  copyId: 'nkmedia.copyId',
  copyEventJson: 'nkmedia.copyEventJson',
  openEventJson: 'nkmedia.openEventJson',
  showMore: 'nkmedia.showMore',
  revealObject: 'nkmedia.revealObject',
  showLog: 'nkmedia.showLog',
  showTimeline: 'nkmedia.showTimeline',
  showInTimeline: 'nkmedia.showInTimeline',
  saveTrace: 'nkmedia.saveTrace',
  openTrace: 'nkmedia.openTrace',
  replayTrace: 'nkmedia.replayTrace',
  exportTrace: 'nkmedia.exportTrace',
  addWatch: 'nkmedia.addWatch',
  editWatch: 'nkmedia.editWatch',
  removeWatch: 'nkmedia.removeWatch',
  toggleWatch: 'nkmedia.toggleWatch',
  revealWatchHit: 'nkmedia.revealWatchHit',
  showDurations: 'nkmedia.showDurations',
  compareObjects: 'nkmedia.compareObjects',
  selectForCompare: 'nkmedia.selectForCompare',
  compareWithSelected: 'nkmedia.compareWithSelected',
  addNote: 'nkmedia.addNote',
  editNote: 'nkmedia.editNote',
  removeNote: 'nkmedia.removeNote',
} as const;
export type CommandId = (typeof Commands)[keyof typeof Commands];

export const Views = {
  container: 'nkmedia',
  events: 'nkmedia.events',
  watches: 'nkmedia.watches',
} as const;

export const Settings = {
  section: 'nkmedia',
  connections: 'connections',
  subscriptions: 'subscriptions',
  endCodes: 'endCodes',
  maxEvents: 'maxEvents',
  demoRate: 'demo.rate',
  demoSeed: 'demo.seed',
  demoFaultRate: 'demo.faultRate',
  demoPingSeconds: 'demo.pingSeconds',
  demoDialect: 'demo.dialect',
  autoConnectDemo: 'demo.autoConnect',
  demoStartOnActivation: 'demo.startOnActivation',
} as const;

export const ContextKeys = {
  demoRunning: 'nkmedia.demoRunning',
  connected: 'nkmedia.connected',
  hasSources: 'nkmedia.hasSources',
  paused: 'nkmedia.paused',
  filtered: 'nkmedia.filtered',
  /** The Watches view shows once there is a watch: alone, the events view keeps the side bar's title. */
  hasWatches: 'nkmedia.hasWatches',
  /** An object was chosen with "Select for Compare": "Compare with Selected" shows. */
  compareSelected: 'nkmedia.compareSelected',
} as const;

/** The custom editor of trace files. */
export const TRACE_EDITOR_VIEW_TYPE = 'nkmedia.traceEditor';

/** The URI scheme of read-only event JSON documents. */
export const EVENT_DOCUMENT_SCHEME = 'nkmedia-event';
