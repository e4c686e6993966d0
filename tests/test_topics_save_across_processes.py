"""A saved topic model has the same bytes whatever the process's string-hash seed.

Each Snakemake job is a new Python process with its own random PYTHONHASHSEED, so a model
saved in one run (or on a SLURM node) must not depend on it.
"""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

SAVE = """
import sys
from corpusflow import topics
texts = [["labour", "union", "party"], ["union", "party", "state"], ["labour", "state", "soviet"]]
model = topics.fit_lda([t * 5 for t in texts] * 6, 2, seed=1, passes=2, iterations=20)
topics.save_model(model, sys.argv[1])
"""


def saved_digests(directory, hash_seed):
    env = {**os.environ, "PYTHONHASHSEED": str(hash_seed)}
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).parents[1] / "src"), *sys.path])
    path = directory / f"seed{hash_seed}" / "lda"
    subprocess.run([sys.executable, "-c", SAVE, str(path)], env=env, check=True)
    return {
        file.name.replace(f"seed{hash_seed}", ""): hashlib.sha256(file.read_bytes()).hexdigest()
        for file in sorted(path.parent.iterdir())
    }


def test_saved_model_bytes_do_not_depend_on_the_hash_seed(tmp_path):
    digests = [saved_digests(tmp_path, seed) for seed in (1, 2, 3, 4)]
    assert len(digests[0]) == 4  # lda, lda.state, lda.id2word, lda.expElogbeta.npy
    assert all(d == digests[0] for d in digests[1:])
