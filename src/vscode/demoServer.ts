// "Start Demo Server" / "Stop Demo Server": runs the embedded NkMEDIA simulator inside the
// extension host on a free loopback port, so everything works with no server at hand.
import * as vscode from 'vscode';
import { DIALECTS, type DialectId } from '../protocol/dialects';
import { NkMediaSimulator } from '../simulator';
import type { Logger } from '../shared/logger';
import { Emitter } from '../shared/events';
import { ContextKeys } from './ids';
import { readDemoSettings } from './config';

export const DEMO_USER = 'admin';
export const DEMO_PASSWORD = 'admin';

export interface RunningDemo {
  url: string;
  port: number;
  user: string;
  password: string;
  /** The era the demo server speaks (setting nkmedia.demo.dialect). */
  dialect: DialectId;
}

export class DemoServer implements vscode.Disposable {
  private simulator: NkMediaSimulator | undefined;
  private running: RunningDemo | undefined;
  private readonly _onDidChange = new Emitter<RunningDemo | undefined>();
  readonly onDidChange = this._onDidChange.event;

  constructor(private readonly logger: Logger) {}

  get current(): RunningDemo | undefined {
    return this.running;
  }

  async start(): Promise<RunningDemo> {
    if (this.running) return this.running;
    const settings = readDemoSettings();
    const simulator = new NkMediaSimulator({
      host: '127.0.0.1',
      port: 0,
      user: DEMO_USER,
      password: DEMO_PASSWORD,
      seed: settings.seed,
      rate: settings.rate,
      faultRate: settings.faultRate,
      pingSeconds: settings.pingSeconds,
      dialect: settings.dialect,
      logger: this.logger,
    });
    const { url, port } = await simulator.start();
    this.simulator = simulator;
    this.running = { url, port, user: DEMO_USER, password: DEMO_PASSWORD, dialect: settings.dialect };
    this.logger.info(
      `demo server listening on ${url} (user ${DEMO_USER}, password ${DEMO_PASSWORD}: loopback only), ${DIALECTS[settings.dialect].label} (${settings.dialect}), ${settings.rate} events/s, fault rate ${settings.faultRate}, seed ${settings.seed}`,
    );
    await vscode.commands.executeCommand('setContext', ContextKeys.demoRunning, true);
    this._onDidChange.fire(this.running);
    return this.running;
  }

  async stop(): Promise<boolean> {
    const simulator = this.simulator;
    if (!simulator) return false;
    this.simulator = undefined;
    this.running = undefined;
    await simulator.stop();
    this.logger.info('demo server stopped');
    await vscode.commands.executeCommand('setContext', ContextKeys.demoRunning, false);
    this._onDidChange.fire(undefined);
    return true;
  }

  dispose(): void {
    void this.stop();
    this._onDidChange.dispose();
  }
}
