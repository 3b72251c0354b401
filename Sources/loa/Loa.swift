import ArgumentParser
@main struct Loa: ParsableCommand {}
