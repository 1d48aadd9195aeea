# Sourced by ./llamascope and ./mvnw: sets JAVA_HOME to a JDK 25 or newer, or fails with a message.
# Looks at $JAVA_HOME, the usual install folders, then the java on the PATH.
llamascope_java_version() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'
}

llamascope_find_jdk() {
  local home v
  for home in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-2[5-9]* /usr/lib/jvm/java-2[5-9]* \
              /usr/lib/jvm/jdk-2[5-9]* /opt/java/openjdk /Library/Java/JavaVirtualMachines/*2[5-9]*/Contents/Home; do
    [ -n "$home" ] && [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || continue
    v=$(llamascope_java_version "$home")
    if [ "${v%%.*}" -ge 25 ] 2>/dev/null; then echo "$home"; return 0; fi
  done
  if command -v javac >/dev/null 2>&1; then
    home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    v=$(llamascope_java_version "$home")
    if [ "${v%%.*}" -ge 25 ] 2>/dev/null; then echo "$home"; return 0; fi
  fi
  return 1
}

if ! JAVA_HOME="$(llamascope_find_jdk)"; then
  echo "llamascope: needs a JDK 25 or newer; install one (e.g. Temurin 25) or set JAVA_HOME to it" >&2
  exit 1
fi
export JAVA_HOME
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
