import { describe, expect, it } from "vitest";
import {
  BooleanField, CharField, ChoiceField, DateField, DateTimeField, DecimalField, EmailField, FileField, FloatField, ImageField,
  IntegerField, MultipleChoiceField, RegexField, SlugField, TimeField, URLField, UUIDField, UploadedFile, ValidationError, TextField,
  type Field,
} from "../../src/index.js";

function messages(field: Field<unknown, unknown, boolean>, value: unknown): string[] {
  try {
    field.clean(value);
  } catch (error) {
    if (error instanceof ValidationError) return error.messages;
    throw error;
  }
  return [];
}

const file = (name: string, content: Uint8Array | string, contentType = "application/octet-stream") => {
  const data = typeof content === "string" ? new TextEncoder().encode(content) : content;
  return new UploadedFile({ fieldName: "f", name, contentType, charset: undefined, size: data.length, data });
};

describe("CharField", () => {
  it("strips, checks lengths, and is required by default", () => {
    const field = new CharField({ maxLength: 5, minLength: 2 });
    expect(field.clean("  abc ")).toBe("abc");
    expect(messages(field, "")).toEqual(["This field is required."]);
    expect(messages(field, undefined)).toEqual(["This field is required."]);
    expect(messages(field, "abcdef")).toEqual(["Ensure this value has at most 5 characters (it has 6)."]);
    expect(messages(field, "a")).toEqual(["Ensure this value has at least 2 characters (it has 1)."]);
    expect(messages(field, "a\0b")).toEqual(["Null characters are not allowed."]);
    expect(messages(field, { x: 1 })).toEqual(["Enter a valid value."]);
  });
  it("optional cleans to an empty string; strip can be off; custom messages and validators", () => {
    expect(new CharField({ required: false }).clean("")).toBe("");
    expect(new CharField({ strip: false }).clean(" a ")).toBe(" a ");
    const custom = new CharField({ errorMessages: { required: "Name, please." } });
    expect(messages(custom, "")).toEqual(["Name, please."]);
    const noDigits = new CharField({ validators: [(value: string) => { if (/\d/.test(value)) throw new ValidationError("No digits."); }] });
    expect(messages(noDigits, "a1")).toEqual(["No digits."]);
    expect(noDigits.clean("ab")).toBe("ab");
    expect(new TextField().widget.constructor.name).toBe("Textarea");
    expect([...new CharField({ maxLength: 3 }).clean("ééé")].length).toBe(3);
  });
});

describe("text formats", () => {
  it("EmailField", () => {
    expect(new EmailField().clean(" a@example.com ")).toBe("a@example.com");
    for (const bad of ["a@", "@b.com", "a b@c.com", "a@b"]) expect(messages(new EmailField(), bad)).toEqual(["Enter a valid email address."]);
  });
  it("URLField adds https:// and refuses other schemes", () => {
    expect(new URLField().clean("example.com/x")).toBe("https://example.com/x");
    expect(new URLField().clean("http://localhost:8000/")).toBe("http://localhost:8000/");
    expect(messages(new URLField(), "javascript:alert(1)")).toEqual(["Enter a valid URL."]);
    expect(messages(new URLField(), "http://")).toEqual(["Enter a valid URL."]);
  });
  it("SlugField and its unicode form", () => {
    expect(new SlugField().clean("my-slug_1")).toBe("my-slug_1");
    expect(messages(new SlugField(), "not a slug")[0]).toMatch(/valid “slug”/);
    expect(messages(new SlugField(), "café")[0]).toMatch(/valid “slug”/);
    expect(new SlugField({ allowUnicode: true }).clean("café")).toBe("café");
  });
  it("UUIDField normalises and refuses non-hex", () => {
    expect(new UUIDField().clean("{6F9619FF-8B86-D011-B42D-00C04FC964FF}")).toBe("6f9619ff-8b86-d011-b42d-00c04fc964ff");
    expect(new UUIDField({ required: false }).clean("")).toBeNull();
    expect(messages(new UUIDField(), "1234")).toEqual(["Enter a valid UUID."]);
  });
  it("RegexField", () => {
    const field = new RegexField(/^[A-Z]{3}$/g, { errorMessages: { invalid: "Three capitals." } });
    expect(field.clean("ABC")).toBe("ABC");
    expect(field.clean("XYZ")).toBe("XYZ");
    expect(messages(field, "abc")).toEqual(["Three capitals."]);
  });
});

describe("numbers", () => {
  it("IntegerField", () => {
    const field = new IntegerField({ minValue: 1, maxValue: 10 });
    expect(field.clean(" 7 ")).toBe(7);
    expect(field.clean("7.0")).toBe(7);
    expect(messages(field, "1.5")).toEqual(["Enter a whole number."]);
    expect(messages(field, "0x10")).toEqual(["Enter a whole number."]);
    expect(messages(field, "99999999999999999999")).toEqual(["Enter a whole number."]);
    expect(messages(field, "11")).toEqual(["Ensure this value is less than or equal to 10."]);
    expect(messages(field, "0")).toEqual(["Ensure this value is greater than or equal to 1."]);
    expect(new IntegerField({ required: false }).clean("")).toBeNull();
    expect(messages(new IntegerField({ stepSize: 5 }), "7")).toEqual(["Ensure this value is a multiple of step size 5."]);
    expect(new IntegerField({ minValue: 1 }).widgetAttrs(new IntegerField().widget)).toEqual({ min: 1 });
  });
  it("FloatField", () => {
    expect(new FloatField().clean("2.5e1")).toBe(25);
    expect(messages(new FloatField(), "Infinity")).toEqual(["Enter a number."]);
    expect(messages(new FloatField(), "1e999")).toEqual(["Enter a number."]);
  });
  it("DecimalField keeps exact digits as a string", () => {
    const field = new DecimalField({ maxDigits: 5, decimalPlaces: 2 });
    expect(field.clean("012.50")).toBe("12.50");
    expect(field.clean("-0.5")).toBe("-0.5");
    expect(messages(field, "1.234")).toEqual(["Ensure that there are no more than 2 decimal places."]);
    expect(messages(field, "123456")).toEqual(["Ensure that there are no more than 5 digits in total."]);
    expect(messages(field, "1234.5")).toEqual(["Ensure that there are no more than 3 digits before the decimal point."]);
    expect(messages(field, "1,5")).toEqual(["Enter a number."]);
    expect(messages(field, ".")).toEqual(["Enter a number."]);
    expect(messages(new DecimalField({ maxValue: 10 }), "10.01")).toEqual(["Ensure this value is less than or equal to 10."]);
  });
});

describe("BooleanField", () => {
  it("required means ticked; strings 'false', '0' are false", () => {
    expect(messages(new BooleanField(), false)).toEqual(["This field is required."]);
    expect(new BooleanField().clean(true)).toBe(true);
    const optional = new BooleanField({ required: false });
    expect(optional.clean("false")).toBe(false);
    expect(optional.clean("0")).toBe(false);
    expect(optional.clean("on")).toBe(true);
    expect(optional.clean(undefined)).toBe(false);
  });
});

describe("choices", () => {
  const sizes = [["s", "Small"], ["Big", [["l", "Large"], ["xl", "Extra large"]]]] as const;
  it("ChoiceField accepts grouped values and refuses others", () => {
    const field = new ChoiceField({ choices: sizes });
    const value: string = field.clean("xl");
    expect(value).toBe("xl");
    expect(messages(field, "m")).toEqual(["Select a valid choice. m is not one of the available choices."]);
    expect(messages(field, "")).toEqual(["This field is required."]);
    expect(messages(field, ["s"])).toEqual(["Select a valid choice. s is not one of the available choices."]);
  });
  it("MultipleChoiceField", () => {
    const field = new MultipleChoiceField({ choices: [["a", "A"], ["b", "B"]] });
    expect(field.clean(["a", "b"])).toEqual(["a", "b"]);
    expect(messages(field, ["a", "z"])).toEqual(["Select a valid choice. z is not one of the available choices."]);
    expect(messages(field, [])).toEqual(["This field is required."]);
    expect(messages(field, "a")).toEqual(["Enter a list of values."]);
    expect(new MultipleChoiceField({ choices: [["a", "A"]], required: false }).clean(undefined)).toEqual([]);
  });
});

describe("dates", () => {
  it("DateField reads ISO and US forms, refuses impossible dates", () => {
    expect(new DateField().clean("2026-02-28")?.toISOString()).toBe("2026-02-28T00:00:00.000Z");
    expect(new DateField().clean("12/31/26")?.toISOString()).toBe("2026-12-31T00:00:00.000Z");
    expect(messages(new DateField(), "2026-02-30")).toEqual(["Enter a valid date."]);
    expect(messages(new DateField(), "tomorrow")).toEqual(["Enter a valid date."]);
    expect(new DateField({ required: false }).clean("")).toBeNull();
  });
  it("DateTimeField: offsets, naive = UTC", () => {
    expect(new DateTimeField().clean("2026-12-31 23:59")?.toISOString()).toBe("2026-12-31T23:59:00.000Z");
    expect(new DateTimeField().clean("2026-12-31T10:00:00+02:00")?.toISOString()).toBe("2026-12-31T08:00:00.000Z");
    expect(messages(new DateTimeField(), "2026-12-31 25:00")).toEqual(["Enter a valid date/time."]);
  });
  it("TimeField", () => {
    expect(new TimeField().clean("9:05")).toBe("09:05:00");
    expect(messages(new TimeField(), "24:00")).toEqual(["Enter a valid time."]);
  });
});

describe("files", () => {
  it("FileField checks presence, emptiness, size, extension, type, name length", () => {
    expect(new FileField().clean(file("a.txt", "hi"))?.name).toBe("a.txt");
    expect(messages(new FileField(), undefined)).toEqual(["This field is required."]);
    expect(messages(new FileField(), "a.txt")).toEqual(["No file was submitted. Check the encoding type on the form."]);
    expect(messages(new FileField(), file("a.txt", ""))).toEqual(["The submitted file is empty."]);
    expect(messages(new FileField({ maxSize: 3 }), file("a.txt", "hello"))).toEqual(["Ensure this file is at most 3 bytes (it has 5)."]);
    expect(messages(new FileField({ allowedExtensions: ["pdf"] }), file("a.txt", "x"))[0]).toBe("File extension “txt” is not allowed. Allowed extensions are: pdf.");
    expect(messages(new FileField({ allowedContentTypes: ["image/*"] }), file("a.txt", "x", "text/plain"))).toEqual(["Files of type “text/plain” are not allowed."]);
    expect(new FileField({ allowedContentTypes: ["image/*"] }).clean(file("a.png", "x", "image/png"))?.name).toBe("a.png");
    expect(messages(new FileField({ maxLength: 3 }), file("long.txt", "x"))).toEqual(["Ensure this filename has at most 3 characters (it has 8)."]);
  });
  it("ImageField checks the bytes, not the name", () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(new ImageField().clean(file("x.png", png))?.name).toBe("x.png");
    expect(messages(new ImageField(), file("fake.png", "<?php evil ?>"))[0]).toMatch(/Upload a valid image/);
    expect(messages(new ImageField({ allowedFormats: ["jpeg"] }), file("x.png", png))[0]).toMatch(/Upload a valid image/);
    expect(new ImageField().widget.attrs.accept).toBe("image/*");
  });
});
