import LoaModel
import Testing

@Suite struct CivilDateTests {
    @Test func dayNumbersRoundTripAcrossCenturies() {
        for dayNumber in stride(from: -200_000, through: 200_000, by: 997) {
            #expect(CivilDate(dayNumber: dayNumber).dayNumber == dayNumber)
        }
        #expect(CivilDate(year: 1970, month: 1, day: 1)?.dayNumber == 0)
        #expect(CivilDate(year: 2024, month: 2, day: 29)?.adding(days: 1) == CivilDate(year: 2024, month: 3, day: 1))
        #expect(CivilDate(year: 2023, month: 2, day: 29) == nil)
    }

    @Test func weekdaysMatchTheCalendar() {
        #expect(CivilDate(year: 2024, month: 11, day: 25)?.weekday == .monday)
        #expect(CivilDate(year: 2024, month: 12, day: 15)?.weekday == .sunday)
        #expect(CivilDate(year: 1970, month: 1, day: 1)?.weekday == .thursday)
    }

    @Test func parsesISOAndVietnameseForms() {
        #expect(CivilDate(parsing: "2024-11-25") == CivilDate(year: 2024, month: 11, day: 25))
        #expect(CivilDate(parsing: "25/11/2024") == CivilDate(year: 2024, month: 11, day: 25))
        #expect(CivilDate(parsing: "2024-13-01") == nil)
        #expect(CivilDate(parsing: "25-11-2024") == nil)
        #expect(CivilDate(parsing: "tomorrow") == nil)
        #expect(CivilDate(year: 2024, month: 11, day: 5)?.vietnamese == "05/11/2024")
    }

    @Test func timesOfDayParseAndPrint() {
        #expect(TimeOfDay(parsing: "05:30")?.seconds == 19_800)
        #expect(TimeOfDay(parsing: "17:45:30")?.description == "17:45:30")
        #expect(TimeOfDay(parsing: "24:00")?.seconds == 86_400)
        #expect(TimeOfDay(parsing: "24:01") == nil)
        #expect(TimeOfDay(parsing: "5h30") == nil)
        #expect(TimeOfDay(parsing: "05:60") == nil)
    }
}
