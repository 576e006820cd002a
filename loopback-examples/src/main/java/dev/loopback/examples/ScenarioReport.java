package dev.loopback.examples;

/** Runs the scenario tests and prints a report. Placeholder: to be replaced. */
public final class ScenarioReport {

    private ScenarioReport() {
    }

    /**
     * Prints the scenario report.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.out.println("Loopback scenario report");
        System.out.println("0 scenarios");
    }
}
