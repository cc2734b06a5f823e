import argon2 from "argon2";
import { hashPassword, limitPasswordHashing, verifyPassword } from "./passwords";

describe("password hashing", () => {
  afterEach(() => jest.restoreAllMocks());

  it("runs at most PASSWORD_HASH_CONCURRENCY hashes at once; the others wait their turn", async () => {
    let running = 0;
    let most = 0;
    jest.spyOn(argon2, "hash").mockImplementation(async () => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running--;
      return "$argon2id$hash";
    });
    limitPasswordHashing(2);
    const hashes = await Promise.all(Array.from({ length: 7 }, (_, i) => hashPassword(`password ${i}`)));
    expect(hashes).toEqual(Array(7).fill("$argon2id$hash"));
    expect(most).toBe(2);
  });

  it("frees the slot of a hash that failed", async () => {
    jest.spyOn(argon2, "hash").mockRejectedValueOnce(new Error("out of memory")).mockResolvedValue("$argon2id$hash");
    limitPasswordHashing(1);
    await expect(hashPassword("one")).rejects.toThrow("out of memory");
    await expect(hashPassword("two")).resolves.toBe("$argon2id$hash");
  });

  it("still hashes and verifies for real", async () => {
    limitPasswordHashing(2);
    const hash = await hashPassword("open sesame");
    expect(await verifyPassword(hash, "open sesame")).toBe(true);
    expect(await verifyPassword(hash, "open sesam")).toBe(false);
  });
});
