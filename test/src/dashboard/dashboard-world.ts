import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ApiComponent } from '@faultline/api';
import { writeLines } from '../billing/billing-data.js';
import { collectPageProblems } from '../support/browser.js';
import { createInfluxDatabase } from '../support/services.js';
import { trafficLines } from '../support/traffic-data.js';
import { createIncidentWorld, type IncidentWorld } from '../api/incident-world.js';

/** A viewport a test opens pages at. */
export interface Viewport {
  readonly width: number;
  readonly height: number;
}

/** The wall's size: the screenshots in docs/ are taken at it. */
export const WALL_VIEWPORT: Viewport = { width: 1920, height: 1080 };

/** The example network with an api serving the dashboard, and polled traffic in InfluxDB. */
export interface DashboardWorld {
  readonly world: IncidentWorld;
  readonly api: ApiComponent;
  /** A page in its own browser context (its own localStorage, so its own token). */
  open(
    pathname: string,
    token: string,
    viewport?: Viewport,
  ): Promise<{ page: Page; problems: string[] }>;
  close(): Promise<void>;
}

/**
 * Builds the world: a fresh InfluxDB database with a day of traffic on every interface (those in
 * `down`, "device interface", down for the last ten minutes; those in `errored` receiving errors
 * for the last ten minutes), and a listening api reading it.
 */
export async function createDashboardWorld(
  browser: Browser,
  down: readonly string[] = [],
  errored: readonly string[] = [],
): Promise<DashboardWorld> {
  const world = await createIncidentWorld();
  const influx = await createInfluxDatabase();
  await writeLines(influx.name, trafficLines(world.config, Date.now(), down, errored));
  const { api, baseUrl } = await world.listen({ influxDatabase: influx.name });
  const contexts: BrowserContext[] = [];
  return {
    world,
    api,
    async open(pathname, token, viewport = WALL_VIEWPORT) {
      const context = await browser.newContext({ viewport });
      contexts.push(context);
      const page = await context.newPage();
      const problems = collectPageProblems(page);
      await page.goto(`${baseUrl}${pathname}?token=${token}`);
      return { page, problems };
    },
    async close() {
      for (const context of contexts.splice(0)) await context.close();
      await world.close();
      await influx.drop();
    },
  };
}
