import { describe, expect, test } from "vitest";
import { IntegrityError, atomic, inAtomicBlock } from "../../src/index.js";
import { BACKENDS, skipBackend, useDatabase } from "./backends.js";
import { ALL_MODELS, Author } from "./fixtures/models.js";

const names = async () => (await Author.objects.orderBy("name").toArray()).map((a) => a.name);

describe.each(BACKENDS)("atomic() on %s", (backend) => {
  if (skipBackend(backend)) return test.skip("PostgreSQL is not installed");
  useDatabase(backend, ALL_MODELS, "transactions");

  test("commits when the block resolves, rolls back and rethrows when it throws", async () => {
    expect(inAtomicBlock()).toBe(false);
    const result = await atomic(async () => {
      expect(inAtomicBlock()).toBe(true);
      await Author.objects.create({ name: "Ann" });
      return "done";
    });
    expect(result).toBe("done");
    const failure = new Error("boom");
    await expect(
      atomic(async () => {
        await Author.objects.create({ name: "Bob" });
        expect(await names()).toEqual(["Ann", "Bob"]); // visible inside the transaction
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await names()).toEqual(["Ann"]);
  });

  test("a nested block is a savepoint: its failure undoes only its own work", async () => {
    await atomic(async () => {
      await Author.objects.create({ name: "Outer" });
      await expect(
        atomic(async () => {
          await Author.objects.create({ name: "Inner" });
          await Author.objects.create({ name: "Outer" }); // IntegrityError: unique name
        }),
      ).rejects.toBeInstanceOf(IntegrityError);
      // The outer transaction is still usable (on PostgreSQL only thanks to the savepoint).
      await Author.objects.create({ name: "After" });
      await atomic(async () => {
        await Author.objects.create({ name: "Kept" });
      });
    });
    expect(await names()).toEqual(["After", "Kept", "Outer"]);
  });

  test("an outer failure rolls back the released savepoints too", async () => {
    await expect(
      atomic(async () => {
        await atomic(() => Author.objects.create({ name: "Inner" }));
        throw new Error("outer fails");
      }),
    ).rejects.toThrow("outer fails");
    expect(await names()).toEqual([]);
  });

  test("concurrent transactions each see their own work and both commit", async () => {
    await Promise.all(["A", "B", "C"].map((name) => atomic(async () => {
      await Author.objects.create({ name });
      await Author.objects.filter({ name }).update({ bio: `${name}!` });
    })));
    expect((await Author.objects.orderBy("name").values("name", "bio"))).toEqual([{ name: "A", bio: "A!" }, { name: "B", bio: "B!" }, { name: "C", bio: "C!" }]);
  });
});
