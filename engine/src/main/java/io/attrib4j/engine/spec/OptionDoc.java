package io.attrib4j.engine.spec;

/**
 * One option of a method, as documented for people: the CLI's help and the README's methods table are
 * generated from these.
 *
 * @param name the option's name in a spec ({@code steps})
 * @param type its type in words ({@code int}, {@code one of gausslegendre, riemann_left, ...})
 * @param defaultValue the default in the text form, or {@code -} when unset by default
 * @param meaning what the option does
 */
public record OptionDoc(String name, String type, String defaultValue, String meaning) {}
