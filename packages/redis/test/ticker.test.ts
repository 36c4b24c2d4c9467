import { now } from "@taskio/core";
import { currentClock } from "@taskio/testkit";
import { expect, test } from "vitest";
import { Ticker } from "../src/ticker.js";

// No Redis here: the renewal timer runs on taskio's clock, so the virtual clock drives it.

test("a tick fires once, `period` ms after start, on taskio's clock", async () => {
  const clock = currentClock()!;
  clock.autoAdvance = false;
  const ticks: number[] = [];
  const ticker = new Ticker(100, () => ticks.push(now()));
  ticker.start();
  ticker.start(); // already armed: no second timer
  await clock.advance(99);
  expect(ticks).toEqual([]);
  await clock.advance(1);
  expect(ticks).toEqual([100]);
  await clock.advance(500);
  expect(ticks).toEqual([100]); // one-shot: the owner re-arms it
});

test("stop() disarms it, and it can be armed again", async () => {
  const clock = currentClock()!;
  clock.autoAdvance = false;
  const ticks: number[] = [];
  const ticker = new Ticker(50, () => ticks.push(now()));
  ticker.start();
  await clock.advance(20);
  ticker.stop();
  await clock.advance(100);
  expect(ticks).toEqual([]);
  ticker.start();
  await clock.advance(50);
  expect(ticks).toEqual([170]);
});
