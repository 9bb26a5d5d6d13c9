// Waits (30 s at most) until the server at the given address answers /healthz.
const url = `${process.argv[2]}/healthz`;
const deadline = Date.now() + 30000;
for (;;) {
  try {
    if ((await fetch(url)).ok) process.exit(0);
  } catch { /* not listening yet */ }
  if (Date.now() > deadline) {
    console.error(`the server did not answer ${url}`);
    process.exit(1);
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
}
