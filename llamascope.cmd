@echo off
rem Llamascope launcher for Windows: the command line with a subcommand, the window without one.
rem Needs JAVA_HOME pointing to a JDK 25 or newer; builds the jars with Maven on first use.
setlocal
set "ROOT=%~dp0"
if "%JAVA_HOME%"=="" (
  echo llamascope: set JAVA_HOME to a JDK 25 or newer 1>&2
  exit /b 1
)
set "JAR=%ROOT%app\target\llamascope-app.jar"
if not exist "%JAR%" (
  echo llamascope: building ^(mvn package -DskipTests^) ... 1>&2
  pushd "%ROOT%"
  call mvn -q -B -DskipTests package
  if errorlevel 1 (
    popd
    echo llamascope: the build failed 1>&2
    exit /b 1
  )
  popd
)
"%JAVA_HOME%\bin\java" %LLAMASCOPE_JAVA_OPTS% --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+AutoCreateSharedArchive "-XX:SharedArchiveFile=%ROOT%app\target\llamascope.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off -XX:+UseParallelGC -Xss4m "-Dllamascope.root=%ROOT%." -cp "%JAR%;%ROOT%app\target\lib\*" dev.llamascope.app.Main %*
exit /b %ERRORLEVEL%
