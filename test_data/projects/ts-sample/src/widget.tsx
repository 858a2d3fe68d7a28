import React, { useState } from 'react';

type Props = { label: string; onClick?: () => void };

/** A button that counts its clicks. */
export const Counter = ({ label }: Props) => {
  const [count, setCount] = useState(0);
  const increment = () => setCount(count + 1);
  return <button onClick={increment}>{label}: {count}</button>;
};

export function App(): JSX.Element {
  function title(text: string) {
    return <h1>{text}</h1>;
  }
  return (
    <div>
      {title('Counter')}
      <Counter label="clicks" />
    </div>
  );
}

export class Panel extends React.Component<Props> {
  render() {
    return <section>{this.props.label}</section>;
  }
}
