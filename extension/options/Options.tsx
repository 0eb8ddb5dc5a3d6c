export function Options() {
  return (
    <main>
      <h1>Lifeline options</h1>
      <p>Endpoints, privacy and policy settings.</p>
    </main>
  );
}
