import Testing

@testable import DuetTensor

@Suite("Thread setting")
struct ParallelismTests {
    @Test func duetThreadsIsReadOrWarnedAbout() {
        #expect(Parallelism.threadCount(fromSetting: nil, processors: 2) == (2, nil))
        #expect(Parallelism.threadCount(fromSetting: " 1 ", processors: 2) == (1, nil))
        #expect(Parallelism.threadCount(fromSetting: "", processors: 4) == (4, nil))
        for bad in ["two", "0", "-3", "1.5", "99999"] {
            let (count, warning) = Parallelism.threadCount(fromSetting: bad, processors: 2)
            #expect(count == 2)
            #expect(warning == "DUET_THREADS='\(bad)' is not a whole number from 1 to 1024; using all 2 processors")
        }
    }
}
