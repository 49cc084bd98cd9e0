export async function logoCard() { return null; }
