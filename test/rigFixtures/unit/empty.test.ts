// A test file that declares no test: a mistake (a test behind a wrong condition, say).
export {};
