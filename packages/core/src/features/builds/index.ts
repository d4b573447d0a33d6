// The builds feature's public face: @teamstate/core exports no name from it.
export {};
