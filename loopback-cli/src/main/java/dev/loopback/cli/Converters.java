package dev.loopback.cli;

import java.time.Duration;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Picocli's side of {@link Units} and {@link Address}: the parser's message becomes picocli's. */
final class Converters {

    private Converters() {}

    private abstract static class Via<T> implements ITypeConverter<T> {
        private final Function<String, T> parser;

        Via(Function<String, T> parser) {
            this.parser = parser;
        }

        @Override
        public T convert(String value) {
            try {
                return parser.apply(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class DurationConverter extends Via<Duration> {
        DurationConverter() {
            super(Units::duration);
        }
    }

    static final class SizeConverter extends Via<Long> {
        SizeConverter() {
            super(Units::size);
        }
    }

    static final class RateConverter extends Via<Long> {
        RateConverter() {
            super(Units::rate);
        }
    }

    static final class ProbabilityConverter extends Via<Double> {
        ProbabilityConverter() {
            super(Units::probability);
        }
    }

    static final class AddressConverter extends Via<Address> {
        AddressConverter() {
            super(Address::parse);
        }
    }
}
