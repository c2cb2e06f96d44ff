/** Issue 3, item 8: what the lecture ladder must achieve on the 2-core production machine. */
export const TARGETS = {
  /** Source seconds encoded per wall-clock second, whole ladder. */
  minRealtimeFactor: 3,
  /** One process decoding once vs. one process per rung (each decoding again). */
  minSpeedupOverPerRung: 2,
  /** transcodeLadder's wall time over the hand-written single command's. */
  maxSlowdownOverHandWritten: 1.1,
  /** Time until the ladder can be played, as a share of the lecture's duration. */
  maxFirstPlayableShare: 0.1,
  /** Video + audio, kbit/s, measured from the segments. */
  maxRungKbps: { '720p': 500, '480p': 250, '360p': 180, '240p': 100 } as Record<string, number>,
  minSsim: 0.96,
  /** The worker's own resident memory while transcoding (ffmpeg excluded), MB. */
  maxWorkerMb: 300,
} as const;

export interface RungFigures {
  name: string;
  averageKbps: number;
  peakSegmentKbps: number;
  /** BANDWIDTH in master.m3u8, kbit/s. */
  declaredKbps: number | null;
  ssim: number;
  ssimY: number;
}

export interface SpeedFigures {
  lectureSeconds: number;
  ladderWall: number;
  perRungWall: number;
  handWrittenWall: number;
  firstPlayableSeconds: number | null;
}

export function judge(speed: SpeedFigures, rungs: RungFigures[]) {
  const realtime = speed.lectureSeconds / speed.ladderWall;
  const speedup = speed.perRungWall / speed.ladderWall;
  const slowdown = speed.ladderWall / speed.handWrittenWall;
  const playableShare = speed.firstPlayableSeconds === null ? null : speed.firstPlayableSeconds / speed.lectureSeconds;
  const rungVerdicts = Object.fromEntries(rungs.map((rung) => {
    const max = TARGETS.maxRungKbps[rung.name];
    return [rung.name, {
      bitrate: max === undefined ? null : rung.averageKbps <= max,
      ssim: rung.ssim >= TARGETS.minSsim,
      // Informational: HLS wants BANDWIDTH >= every segment's rate (RFC 8216 4.3.4.2).
      peakWithinDeclared: rung.declaredKbps === null ? null : rung.peakSegmentKbps <= rung.declaredKbps,
    }];
  }));
  const verdicts = {
    realtime: realtime >= TARGETS.minRealtimeFactor,
    speedupOverPerRung: speedup >= TARGETS.minSpeedupOverPerRung,
    withinHandWritten: slowdown <= TARGETS.maxSlowdownOverHandWritten,
    firstPlayable: playableShare !== null && playableShare <= TARGETS.maxFirstPlayableShare,
    rungs: rungVerdicts,
  };
  const rungsPass = Object.values(rungVerdicts).every((v) => v.bitrate !== false && v.ssim);
  return {
    figures: { realtime: round2(realtime), speedupOverPerRung: round2(speedup), slowdownOverHandWritten: round2(slowdown), firstPlayableShare: playableShare === null ? null : round2(playableShare) },
    pass: { ...verdicts, all: verdicts.realtime && verdicts.speedupOverPerRung && verdicts.withinHandWritten && verdicts.firstPlayable && rungsPass },
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
