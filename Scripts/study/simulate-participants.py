#!/usr/bin/env python3
"""Simulated participants for a listening study served by `duet serve --study` (Docs/study.md).

Each simulated participant takes the study through the real HTTP API, as the page does: it registers, fetches
its next comparison, requests the first bytes of both clips by id (a Range request), and answers. It does not
listen: it "hears" a clip as the manifest tags of its item, scores each clip by how many of those tags occur in
the prompt, adds seeded Gaussian noise, and answers "tie" when the two scores differ by less than a threshold.
It never reads which system played which clip. This exercises the tool end to end; it is not a substitute
for people.

    Scripts/study/simulate-participants.py --url http://127.0.0.1:8080 --study study.sqlite \
        --manifest data/demo/manifest.jsonl --participants 5 --seed 0

Python 3 standard library only.
"""
import argparse
import json
import random
import re
import sqlite3
import sys
import urllib.error
import urllib.request


def request(url, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode()
    all_headers = dict(headers or {})
    if body is not None:
        all_headers["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=data, headers=all_headers, method="GET" if body is None else "POST")
    with urllib.request.urlopen(req, timeout=30) as response:
        payload = response.read()
        return response.status, response.headers, payload


def clip_items(study_path):
    """Clip id -> (manifest item id) from the study file's clips table (read only)."""
    connection = sqlite3.connect(f"file:{study_path}?mode=ro", uri=True)
    try:
        return {row[0]: row[1] for row in connection.execute("SELECT id, item FROM clips")}
    finally:
        connection.close()


def item_tags(manifest_paths):
    tags = {}
    for path in manifest_paths:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    entry = json.loads(line)
                    tags[entry["id"]] = [value.lower() for values in entry.get("tags", {}).values() for value in values]
    return tags


def heard(prompt, tags):
    """How many of the clip's tags the prompt mentions (whole words)."""
    text = prompt.lower()
    return sum(1 for tag in set(tags) if re.search(r"\b" + re.escape(tag) + r"\b", text))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the study server, e.g. http://127.0.0.1:8080")
    parser.add_argument("--study", required=True, help="the study file (to map clip ids to manifest items)")
    parser.add_argument("--manifest", required=True, action="append", help="the manifest(s) the study was created from")
    parser.add_argument("--participants", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--noise", type=float, default=0.75, help="standard deviation of the noise on each clip's score")
    parser.add_argument("--tie", type=float, default=0.5, help="score difference below which the answer is a tie")
    arguments = parser.parse_args()

    clips = clip_items(arguments.study)
    tags = item_tags(arguments.manifest)
    base = arguments.url.rstrip("/")
    counts = {"left": 0, "right": 0, "tie": 0}
    for number in range(arguments.participants):
        generator = random.Random(arguments.seed * 1000 + number)
        status, _, payload = request(base + "/api/study/participants", {})
        next_comparison = json.loads(payload)
        participant = next_comparison["participant"]
        while next_comparison.get("comparison"):
            comparison = next_comparison["comparison"]
            scores = []
            for side in ("left", "right"):
                path = comparison[side].split("#")[0]
                status, headers, payload = request(base + path, headers={"Range": "bytes=0-1"})
                if status != 206 or len(payload) != 2:
                    sys.exit(f"audio {path}: expected 206 with 2 bytes, got {status} with {len(payload)}")
                clip = int(re.search(r"/clips/(\d+)/audio", path).group(1))
                scores.append(heard(comparison["prompt"], tags.get(clips[clip], [])) + generator.gauss(0, arguments.noise))
            difference = scores[0] - scores[1]
            choice = "tie" if abs(difference) < arguments.tie else ("left" if difference > 0 else "right")
            counts[choice] += 1
            url = f"{base}/api/study/participants/{participant}/answers"
            status, _, payload = request(url, {"trial": comparison["trial"], "choice": choice})
            next_comparison = json.loads(payload)
        print(f"participant {number + 1} ({participant[:8]}…): {next_comparison['answered']} of {next_comparison['total']} answered")
    print(f"answers: left {counts['left']}, right {counts['right']}, tie {counts['tie']}")


if __name__ == "__main__":
    try:
        main()
    except urllib.error.HTTPError as error:
        sys.exit(f"HTTP {error.code}: {error.read().decode(errors='replace')}")
