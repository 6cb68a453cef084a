"""What the tests of every tier share.

- samples.py: the branch and the people unit tests act as, FR.APL.01 Bagian 1, tiny real files
  (PDF, PNG, JPEG) and reading a PDF's text back
- waiting.py: polling for what arrives asynchronously, a free TCP port
- api.py: a service's router mounted as the gateway mounts it (fake users and bearer tokens, the
  gateway's error answers), upstream envelopes, registration cases built through its App
- e2e drivers, for tests/e2e and the distributed tests only (tests/unit/test_layout.py keeps them out of
  unit tests): driver.py (the platform over HTTP), web_driver.py (pages in a browser), sse.py (the
  live stream), skeleton.py (the walking skeleton's checks), platform.py (the embedded platform process)
"""
