/** How big and busy a generated organisation is. */
export interface DemoShape {
  teams: number;
  peoplePerTeam: readonly number[];
  /** 0: the three named default teams with their repositories. */
  reposPerTeam: number;
  days: number;
  prsPerDevWeek: number;
  issuesPerDevSprint: number;
  /** Chance of a staging and a production deployment per repository and weekday. */
  stagingPerDay: number;
  productionPerDay: number;
  /** Days (the last ones) of daily reports and Copilot usage; default all `days`. */
  reportDays?: number;
}

/** The shapes of the demo's `scale` option. */
export const demoShapes = {
  default: {
    teams: 3,
    peoplePerTeam: [7, 7, 6],
    reposPerTeam: 0,
    days: 90,
    prsPerDevWeek: 1.3,
    issuesPerDevSprint: 2.2,
    stagingPerDay: 0.85,
    productionPerDay: 0.7,
  },
  large: {
    teams: 50,
    peoplePerTeam: [20],
    reposPerTeam: 2,
    days: 365,
    prsPerDevWeek: 1.25,
    issuesPerDevSprint: 2,
    stagingPerDay: 0.85,
    productionPerDay: 0.7,
    reportDays: 30,
  },
} as const satisfies Record<string, DemoShape>;

/**
 * One team of a larger organisation generated team by team (`generateDemo`'s third argument): its index in
 * the organisation (which names it and its people) and the shape of the organisation. Deployment and incident ids
 * carry the team's id so that teams generated apart never collide.
 */
export interface DemoTeamSlot {
  shape: DemoShape;
  team: number;
  /**
   * Each member's time zone (an IANA name), in member order: a member keeps their hours in their own time, summer
   * time included (and the bundle says which zone). Members past the end of the list, or all without it: UTC.
   */
  timeZones?: readonly string[];
}

/** Whether `zone` names a time zone this runtime knows (an IANA name such as "Europe/Berlin"). */
function knownZone(zone: unknown): boolean {
  if (typeof zone !== 'string' || zone === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Throws a RangeError naming the first of a slot's `timeZones` this runtime does not know. */
export function checkTimeZones(timeZones: readonly string[] | undefined): void {
  timeZones?.forEach((zone, i) => {
    if (!knownZone(zone))
      throw new RangeError(`timeZones[${i}]: expected an IANA time zone such as "Europe/Berlin", got ${JSON.stringify(zone)}`);
  });
}
