// The recommendation section of the configuration (docs/recommendation.md).
import { int, type EnvOf } from '../config-env.ts';

export const recommendationEnv = {
  RECO_HALF_LIFE_HOURS: int(168, 1, 24 * 365),
  RECO_POLL_MS: int(200, 10, 60_000),
};

export interface RecommendationConfig {
  /** Half-life of group tag scores and popularity. */
  halfLifeMs: number;
  /** How often the journal's consumer looks for new events. */
  pollMs: number;
}

export function recommendationConfig(e: EnvOf<typeof recommendationEnv>): RecommendationConfig {
  return { halfLifeMs: e.RECO_HALF_LIFE_HOURS * 3_600_000, pollMs: e.RECO_POLL_MS };
}
